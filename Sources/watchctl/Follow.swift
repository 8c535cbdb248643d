import ArgumentParser
import Foundation
import RegWatch

/// `watchctl follow ITEM [--state S] [--owner NAME] [--note TEXT]`, `watchctl follow ITEM --list
/// [--json]` and `watchctl follow --list [--state S] [--json]`: what the team decided about an item.
struct Follow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Record what the team decided about an item, or show the decisions.",
        discussion: """
            ITEM is the number shown by `items`, `search` and the digest, as pasted from \
            them (42, réf. 42, réf.42, ref 42, #42), or the item's link. Each call adds a \
            dated line to the item's history; nothing is overwritten.

            A line needs at least one of --state, --owner, --note. Without --state the \
            item keeps its state (nouveau if nothing was decided yet): `--note` alone adds \
            a dated note, `--owner` alone hands the follow-up over. Without --owner the \
            owner stays who it was.

            States: nouveau, à lire, à exploiter, exploité, sans suite (accents \
            optional, hyphens or spaces: a-exploiter), or to-read, to-act, done, \
            dismissed. A `sans suite` item is never shown again in a digest; items \
            still `à exploiter` are listed in the digest's "Suivi" section.

            `follow ITEM --list` (or `follow ITEM` alone) shows that item's whole history. \
            `follow --list` shows every item with a recorded decision (only those now in \
            --state S if given).

            Examples:
              watchctl follow 42 --state a-exploiter --owner Claire --note "Mettre à jour la procédure CPF"
              watchctl follow "réf. 42" --note "Vu avec la direction, à diffuser le 12/12"
              watchctl follow 42 --state exploité --note "Procédure v3 diffusée le 12/12"
              watchctl follow 42 --list
              watchctl follow --list --state à-exploiter
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The item: its number (42, réf. 42, #42) or its link.", valueName: "ITEM"))
    var item: String?

    @Option(
        help: ArgumentHelp(
            "The new state (with ITEM; default: unchanged), or the state to list (with --list alone).", valueName: "S"))
    var state: String?

    @Option(help: ArgumentHelp("Who follows it up from now on (default: unchanged).", valueName: "NAME"))
    var owner: String?

    @Option(help: ArgumentHelp("The analysis or the action taken.", valueName: "TEXT"))
    var note: String?

    @Flag(help: "Show the item's history (with ITEM), or list the items with a recorded decision.")
    var list = false

    @Flag(
        help: """
            With --list: one JSON document, [{id, title, link, feed, state, since, owner, note, history}] \
            ({…} for one ITEM).
            """)
    var json = false

    /// What this call does, from its arguments.
    private enum Action {
        case record(item: String)
        case history(item: String)
        case list
    }

    private var action: Action {
        guard let item else { return .list }
        if list || (state == nil && owner == nil && note == nil) { return .history(item: item) }
        return .record(item: item)
    }

    func validate() throws {
        if list {
            if owner != nil || note != nil {
                throw ValidationError(Messages.current.ownerNoteNeedNoList)
            }
            if item != nil, state != nil {
                throw ValidationError(Messages.current.stateListNeedsNoItem)
            }
        } else if item == nil {
            throw ValidationError(Messages.current.followNeedsItem)
        } else if json, state != nil || owner != nil || note != nil {
            throw ValidationError(Messages.current.goesWith("--json", "--list"))
        }
    }

    func run() async throws {
        // Parsed before anything is opened: a typo is exit 2 whatever the database holds.
        let wanted = try state.map(FollowState.init(parsing:))
        let configuration = try global.loadConfiguration()
        let database = try global.openDatabase(configuration)
        let zone = configuration.digest.timeZone
        switch action {
        case .list:
            let items = try database.followedItems(state: wanted)
            if json {
                try Output.printJSON(items.map(FollowedItemJSON.init))
            } else {
                Self.printList(items, zone: zone)
            }
        case .history(let reference):
            let id = try Self.resolve(reference, in: database)
            if let followed = try database.followedItem(id: id) {
                if json {
                    try Output.printJSON(FollowedItemJSON(followed))
                } else {
                    Self.printHistory(
                        followed,
                        source: configuration.displayName(feedURL: followed.feedURL, storedTitle: followed.feedTitle),
                        zone: zone)
                }
            } else if let stored = try database.item(id: id) {
                // Never followed: still an item, in state `nouveau`, with an empty history.
                if json {
                    try Output.printJSON(FollowedItemJSON(unfollowed: stored))
                } else {
                    print(
                        Messages.current.followHeading(
                            id: id, title: Output.clip(stored.title ?? Messages.current.untitled, 90)))
                    let source = configuration.displayName(feedURL: stored.feedURL, storedTitle: stored.feedTitle)
                    print("\(source)\(stored.link.map { " · \($0)" } ?? "")")
                    print(Messages.current.followNoDecision)
                }
            } else {
                throw Self.unknownItem(reference, in: database)
            }
        case .record(let reference):
            let id = try Self.resolve(reference, in: database)
            let followed = try database.recordFollow(itemID: id, state: wanted, owner: owner, note: note, at: Date())
            print(
                Messages.current.followRecorded(
                    id: id, state: followed.state, unchanged: wanted == nil,
                    noteAdded: followed.history.last?.note != nil, owner: followed.owner,
                    title: Output.clip(followed.title ?? Messages.current.untitled, 90)))
        }
    }

    private static func resolve(_ reference: String, in database: AppDatabase) throws -> Int64 {
        guard let id = try database.resolveItem(reference) else { throw unknownItem(reference, in: database) }
        return id
    }

    private static func unknownItem(_ reference: String, in database: AppDatabase) -> InputError {
        InputError(Messages.current.unknownItem(command: "follow", reference: reference, database: database.path))
    }

    /// One item's whole history, oldest line first, under its source's `source` name.
    static func printHistory(_ item: FollowedItem, source: String, zone: TimeZone) {
        let say = Messages.current
        print(say.followHeading(id: item.itemID, title: Output.clip(item.title ?? say.untitled, 90)))
        print("\(source)\(item.link.map { " · \($0)" } ?? "")")
        print(say.followState(item.state, since: Output.local(item.since, in: zone), owner: item.owner))
        print("")
        var rows = [say.followHistoryHeader]
        for change in item.history {
            rows.append([
                Output.local(change.time, in: zone), say.label(change.state), Output.clip(change.owner ?? "—", 20),
                change.note.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") } ?? "",
            ])
        }
        print(Output.table(rows))
    }

    static func printList(_ items: [FollowedItem], zone: TimeZone) {
        let say = Messages.current
        if items.isEmpty {
            print(say.followNone)
            return
        }
        var rows = [say.followListHeader]
        for item in items {
            rows.append([
                String(item.itemID), say.label(item.state), Output.local(item.since, in: zone),
                Output.clip(item.owner ?? "—", 20), Output.clip(item.title ?? say.untitled, 60),
                Output.clip(item.note ?? "", 60),
            ])
        }
        print(Output.table(rows))
    }
}

/// One item of `follow --list --json`.
struct FollowedItemJSON: Encodable {
    struct Change: Encodable {
        let time: String
        let state: String
        let owner: String?
        let note: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(time, forKey: .time)
            try c.encode(state, forKey: .state)
            try c.encode(owner, forKey: .owner)
            try c.encode(note, forKey: .note)
        }
        enum CodingKeys: String, CodingKey { case time, state, owner, note }
    }

    let id: Int64
    let title: String?
    let link: String?
    let feed: String
    let state: String
    let since: String?
    let owner: String?
    let note: String?
    let history: [Change]

    /// An item with no recorded decision: state `new`, no `since`, an empty history.
    init(unfollowed item: StoredItem) {
        id = item.id
        title = item.title
        link = item.link
        feed = item.feedURL
        state = FollowState.new.rawValue
        since = nil
        owner = nil
        note = nil
        history = []
    }

    init(_ item: FollowedItem) {
        id = item.itemID
        title = item.title
        link = item.link
        feed = item.feedURL
        state = item.state.rawValue
        since = Output.iso(item.since)!
        owner = item.owner
        note = item.note
        history = item.history.map {
            Change(time: Output.iso($0.time)!, state: $0.state.rawValue, owner: $0.owner, note: $0.note)
        }
    }

    enum CodingKeys: String, CodingKey { case id, title, link, feed, state, since, owner, note, history }

    // Explicit so that a missing value is `null`, not an absent key.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(link, forKey: .link)
        try c.encode(feed, forKey: .feed)
        try c.encode(state, forKey: .state)
        try c.encode(since, forKey: .since)
        try c.encode(owner, forKey: .owner)
        try c.encode(note, forKey: .note)
        try c.encode(history, forKey: .history)
    }
}
