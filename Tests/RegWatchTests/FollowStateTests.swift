import RegWatch
import XCTest

/// `FollowState(parsing:)`: the French names with or without accents, hyphens or spaces,
/// and the English aliases; anything else is a bad-input error listing the accepted values.
final class FollowStateTests: XCTestCase {
    func testFrenchNamesAreAcceptedWithOrWithoutAccentsHyphensOrSpaces() throws {
        let spellings: [(String, FollowState)] = [
            ("nouveau", .new), ("NOUVEAU", .new),
            ("à lire", .toRead), ("a lire", .toRead), ("à-lire", .toRead), ("A_LIRE", .toRead),
            ("à exploiter", .toAct), ("a-exploiter", .toAct), ("À  exploiter", .toAct), ("a exploiter", .toAct),
            ("exploité", .done), ("exploite", .done), ("Exploité", .done),
            ("sans suite", .dismissed), ("sans-suite", .dismissed), ("Sans_Suite", .dismissed),
            // Decomposed accents (as some terminals send them) fold the same way.
            ("a\u{300} exploiter", .toAct), ("exploite\u{301}", .done),
        ]
        for (text, expected) in spellings {
            XCTAssertEqual(try FollowState(parsing: text), expected, text)
        }
    }

    func testEnglishAliasesAreAccepted() throws {
        XCTAssertEqual(try FollowState(parsing: "new"), .new)
        XCTAssertEqual(try FollowState(parsing: "to-read"), .toRead)
        XCTAssertEqual(try FollowState(parsing: "to read"), .toRead)
        XCTAssertEqual(try FollowState(parsing: "to-act"), .toAct)
        XCTAssertEqual(try FollowState(parsing: "TO_ACT"), .toAct)
        XCTAssertEqual(try FollowState(parsing: "done"), .done)
        XCTAssertEqual(try FollowState(parsing: "dismissed"), .dismissed)
    }

    func testUnknownStateIsBadInputListingEveryAcceptedValue() {
        for text in ["exploiter", "à lir", "", "closed", "sans suites"] {
            XCTAssertThrowsError(try FollowState(parsing: text), text) { error in
                let error = error as! FollowStateError
                XCTAssertEqual(error.kind, .badInput)
                XCTAssertTrue(error.description.contains("\"\(text)\""), error.description)
                for state in FollowState.allCases {
                    XCTAssertTrue(error.description.contains(state.label), error.description)
                    XCTAssertTrue(error.description.contains(state.rawValue), error.description)
                }
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
    }

    func testEveryStateReadsBackFromItsOwnLabels() throws {
        for state in FollowState.allCases {
            XCTAssertEqual(try FollowState(parsing: state.label), state)
            XCTAssertEqual(try FollowState(parsing: state.englishLabel), state)
            XCTAssertEqual(FollowState(rawValue: state.rawValue), state)
        }
    }
}
