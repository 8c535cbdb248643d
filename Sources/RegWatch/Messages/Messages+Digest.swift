import Foundation

// The digest's and the delivery's errors in both languages.

extension Wording {
    /// Text that has no French: an error from a layer that words only itself (a system error).
    package static func untranslated(_ text: String) -> Wording { Wording(text, text) }

    static func weekNotBegun(_ week: ISOWeek, current: ISOWeek, zone: TimeZone) -> Wording {
        Wording(
            "la semaine \(week) n'a pas commencé (nous sommes en \(current), \(zone.identifier)) : un digest couvre "
                + "une semaine commencée ; omettre --week pour la semaine qui vient de finir",
            "week \(week) has not begun (this is \(current), \(zone.identifier)): "
                + "a digest covers a week that has begun; leave --week out for the week that just ended")
    }

    static func weekBeforeHistory(_ week: ISOWeek, first: ISOWeek, current: ISOWeek) -> Wording {
        Wording(
            "la semaine \(week) finit avant tout ce que regwatch connaît (sa première lecture ou son plus ancien "
                + "article est en \(first)) : choisir une semaine de \(first) à \(current)",
            "week \(week) ended before anything regwatch knows (its first poll or oldest item is in "
                + "\(first)): choose a week from \(first) to \(current)")
    }

    static func keptWithoutEmail(_ week: ISOWeek) -> Wording {
        Wording(
            "le digest \(week) a été livré sans courriel et reste tel que livré : "
                + "choisir un autre --format, ou ajouter --rebuild pour en faire une nouvelle version",
            "digest \(week) was delivered without an email, and is kept as delivered: "
                + "choose another --format, or add --rebuild to make a new version")
    }

    static func notSent(_ week: ISOWeek, server: URL, reason: Wording, kept file: URL) -> Wording {
        Wording(
            "digest \(week) non envoyé par \(server.absoluteString) : \(reason.french) ; le message est conservé "
                + "dans \(file.path), réessayer avec watchctl digest --week \(week) --send",
            "digest \(week) not sent via \(server.absoluteString): "
                + "\(reason.english); the message is kept in \(file.path), "
                + "retry with watchctl digest --week \(week) --send")
    }

    static func noEmailSection(_ file: String) -> Wording {
        Wording(
            "\(file) : le digest par courriel demande une section [email] avec from et to ; en ajouter une "
                + "(voir docs/configuration.md)",
            "\(file): the email digest needs an [email] section with from and to; add one (see docs/configuration.md)")
    }

    static func noTarget(_ name: String, file: String, configured names: [String]) -> Wording {
        Wording(
            "aucune cible de livraison « \(name) » dans \(file) ; "
                + (names.isEmpty
                    ? "aucune n'est configurée (ajouter une table [[deliver]] ou une section [email], "
                        + "voir docs/configuration.md)"
                    : "configurées : \(names.joined(separator: ", "))"),
            "no delivery target named \"\(name)\" in \(file); "
                + (names.isEmpty
                    ? "none is configured (add a [[deliver]] table or an [email] section, see docs/configuration.md)"
                    : "configured: \(names.joined(separator: ", "))"))
    }
}
