import ArgumentParser
import Foundation
import RegWatch

/// `watchctl retag`: apply the current topic rules to every stored item.
struct Retag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retag",
        abstract: "Re-apply the topic rules of feeds.toml to every stored item.",
        discussion: """
            Run it after changing [[topics]]: each item's topics and matched terms are replaced by
            what the current rules find. Prints how many items changed topics.

            Example:
              watchctl retag
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try global.loadConfiguration()
        let database = try global.openDatabase(configuration)
        let result = try Retagger(configuration: configuration, database: database).retagAll()
        print("\(result.items) articles relus, \(result.changed) ont changé de sujets")
    }
}
