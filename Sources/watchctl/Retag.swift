import ArgumentParser
import Foundation
import RegWatch

/// `watchctl retag`: apply the current topic rules to every stored item, and
/// `watchctl retag ID --add TOPIC --remove TOPIC [--by NAME]`: a team's correction of one item.
struct Retag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retag",
        abstract: "Re-apply the topic rules to every stored item, or correct the topics of one item.",
        discussion: """
            Without ID: run it after changing [[topics]]: each item's topics and matched terms are \
            replaced by what the current rules find, except where the team corrected them. Prints \
            how many items changed topics.

            With ID (the réf. number shown by items, search and the digest, or the item's link):
            records a correction. --add TOPIC says the item is about TOPIC, --remove TOPIC that it \
            is not; both may be repeated. The correction overrides the rules for that item from \
            then on (digest, items, search, audit, later polls and retags) and is kept with its \
            author (--by, else your user name) and date. `watchctl tag --evaluate` scores the \
            rules against the corrections.

            Examples:
              watchctl retag
              watchctl retag 42 --remove cpf --add qualiopi --by Claire
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(
        help: ArgumentHelp(
            "The item to correct: its number (réf.) or its link. Omit it to retag everything.",
            valueName: "ID"))
    var item: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A topic the item is about (repeatable): its id or its label, case and accents optional.",
            valueName: "TOPIC"))
    var add: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A topic the item is not about (repeatable): its id or its label, case and accents optional.",
            valueName: "TOPIC"))
    var remove: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Who makes the correction (default: your user name).", valueName: "NAME"))
    var by: String?

    func validate() throws {
        if item == nil {
            if !add.isEmpty || !remove.isEmpty || by != nil {
                throw ValidationError(Messages.current.correctionNeedsItem)
            }
        } else if add.isEmpty && remove.isEmpty {
            throw ValidationError(Messages.current.correctionNeedsTopic)
        }
    }

    func run() async throws {
        let configuration = try global.loadConfiguration()
        guard let item else {
            let database = try global.openDatabase(configuration)
            let result = try Retagger(configuration: configuration, database: database).retagAll()
            print(Messages.current.retagged(items: result.items, changed: result.changed))
            return
        }
        // Topics are checked before the database is opened: a typo is exit 2 whatever it holds.
        let added = try add.map { try configuration.resolveTopic($0, option: "--add") }
        let removed = try remove.map { try configuration.resolveTopic($0, option: "--remove") }
        if let both = added.first(where: removed.contains) {
            throw InputError(Messages.current.bothAddedAndRemoved("\(both)"))
        }
        let database = try global.openDatabase(configuration)
        guard let id = try database.resolveItem(item) else {
            throw InputError(
                Messages.current.unknownItem(command: "retag", reference: item, database: database.path))
        }
        let author = by?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? Self.userName()
        let correction = try Retagger(configuration: configuration, database: database)
            .correct(itemID: id, add: added, remove: removed, by: author)
        print(Messages.current.corrected(id: id, by: author, topics: correction.reviewedTopics.map(\.rawValue)))
    }

    /// The login name of the user running the command, for the correction's author.
    static func userName() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let name = environment["USER"]?.nonEmpty ?? environment["LOGNAME"]?.nonEmpty { return name }
        return NSUserName().nonEmpty ?? "unknown"
    }
}

extension String {
    /// The string, or `nil` when it is empty.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
