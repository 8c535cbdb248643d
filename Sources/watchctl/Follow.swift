import ArgumentParser
import Foundation
import RegWatch

/// `watchctl follow ITEM --state S [--owner NAME] [--note TEXT]` and
/// `watchctl follow --list [--state S] [--json]`: what the team decided about an item.
struct Follow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Record what the team decided about an item, or list the decisions.",
        discussion: """
            ITEM is the number shown by `items`, `search` and the digest (réf. 42),
            or the item's link. Each call adds a dated line to the item's history;
            nothing is overwritten. A change without --owner keeps the owner.

            States: nouveau, à lire, à exploiter, exploité, sans suite (accents
            optional, hyphens or spaces: a-exploiter), or to-read, to-act, done,
            dismissed. A `sans suite` item is never shown again in a digest; items
            still `à exploiter` are listed in the digest's "Suivi" section.

            --list shows every item with a recorded decision (only those now in
            --state S if given).

            Examples:
              watchctl follow 42 --state a-exploiter --owner Claire --note "Mettre à jour la procédure CPF"
              watchctl follow 42 --state exploité --note "Procédure v3 diffusée le 12/12"
              watchctl follow --list --state à-exploiter
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The item: its number (réf.) or its link.", valueName: "ITEM"))
    var item: String?

    @Option(help: ArgumentHelp("The new state (with ITEM), or the state to list (with --list).", valueName: "S"))
    var state: String?

    @Option(help: ArgumentHelp("Who follows it up from now on.", valueName: "NAME"))
    var owner: String?

    @Option(help: ArgumentHelp("The analysis or the action taken.", valueName: "TEXT"))
    var note: String?

    @Flag(help: "List the items with a recorded decision instead of recording one.")
    var list = false

    @Flag(help: "With --list: one JSON document [{id, title, link, feed, state, since, owner, note, history}].")
    var json = false

    func validate() throws {
        if list {
            if item != nil { throw ValidationError("--list takes no ITEM") }
            if owner != nil || note != nil { throw ValidationError("--owner and --note record a decision: drop --list") }
        } else {
            if item == nil { throw ValidationError("name an ITEM (its réf. number or link), or use --list") }
            if state == nil { throw ValidationError("--state is required with ITEM (e.g. --state a-exploiter)") }
            if json { throw ValidationError("--json goes with --list") }
        }
    }

    func run() async throws {
        // Parsed before anything is opened: a typo is exit 2 whatever the database holds.
        let wanted = try state.map(FollowState.init(parsing:))
        let configuration = try global.loadConfiguration()
        let database = try global.openDatabase(configuration)
        if list {
            let items = try database.followedItems(state: wanted)
            if json {
                try Output.printJSON(items.map(FollowedItemJSON.init))
            } else {
                Self.printList(items, zone: configuration.digest.timeZone)
            }
            return
        }
        guard let item, let wanted else { return }
        guard let id = try database.resolveItem(item) else {
            throw InputError(
                "follow: no stored item \"\(item)\" in \(database.path); use the réf. number shown by watchctl items, search or the digest, or the item's link")
        }
        let followed = try database.recordFollow(itemID: id, state: wanted, owner: owner, note: note, at: Date())
        var line = "réf. \(id) → \(followed.state.label)"
        if let owner = followed.owner { line += " (\(owner))" }
        line += " : " + Output.clip(followed.title ?? "(sans titre)", 90)
        print(line)
    }

    static func printList(_ items: [FollowedItem], zone: TimeZone) {
        if items.isEmpty {
            print("aucun suivi enregistré")
            return
        }
        var rows = [["N°", "ÉTAT", "DEPUIS", "RESPONSABLE", "TITRE", "NOTE"]]
        for item in items {
            rows.append([
                String(item.itemID), item.state.label, Output.local(item.since, in: zone),
                Output.clip(item.owner ?? "—", 20), Output.clip(item.title ?? "(sans titre)", 60),
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
    let since: String
    let owner: String?
    let note: String?
    let history: [Change]

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
