import ArgumentParser
import FeedParser
import Foundation
import RegWatch
import Transfer

/// Maps every error that reaches `main()` to an exit status and one line for a person.
enum ExitStatus {
    static let success: Int32 = 0
    static let runtimeFailure: Int32 = 1
    static let badInput: Int32 = 2

    /// The exit status, the message, and whether the message belongs on stdout (help, version).
    static func of(_ error: any Error, for root: WatchCtl.Type) -> (Int32, String, Bool) {
        if let actionable = error as? any ActionableError {
            let status = actionable.kind == .badInput ? badInput : runtimeFailure
            return (status, "watchctl: \(oneLine(Messages.current.describe(actionable)))", false)
        }
        if let transfer = error as? TransferError {
            // A URL that can never be fetched is the input's fault; a network failure is the run's.
            let status = transfer.kind == .unsupportedScheme ? badInput : runtimeFailure
            return (status, "watchctl: \(oneLine(Messages.current.line(.transfer(transfer))))", false)
        }
        if let code = error as? ExitCode {
            return (code.rawValue, "", false)
        }
        // ArgumentParser's own errors: help and --version are clean exits, the rest is bad usage.
        let parserCode = root.exitCode(for: error)
        if parserCode == .success {
            return (success, root.fullMessage(for: error), true)
        }
        let message = Messages.current.usageError(root.message(for: error), full: root.fullMessage(for: error))
        if parserCode == .validationFailure || error is ValidationError {
            return (badInput, message, false)
        }
        return (runtimeFailure, "watchctl: \(oneLine(Messages.current.line(.of(error))))", false)
    }

    /// Keeps an error on one line, whatever a C library or a feed put in it.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
