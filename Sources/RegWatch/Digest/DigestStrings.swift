import Foundation

/// Every fixed string of the digest, in one table per language, so a translation is one
/// place to read and a missing string is a compile error rather than a French word in an
/// English digest.
struct DigestStrings: Sendable {
    /// "Veille réglementaire": the digest's title and the email subject's start.
    var title: String
    /// "Semaine 2025-W49".
    var weekLabel: @Sendable (ISOWeek) -> String
    /// "du lundi 1er au dimanche 7 décembre 2025".
    var period: @Sendable (String, String) -> String
    /// "Lecture : 13 min".
    var readingTime: @Sendable (Int) -> String
    /// "24 articles".
    var itemCount: @Sendable (Int) -> String
    /// "À retenir".
    var highlights: String
    /// "Autres".
    var others: String
    /// "(sans titre)", for an item without a title.
    var untitled: String
    /// "Pour aller plus loin".
    var more: String
    /// "… et 12 autres".
    var andMore: @Sendable (Int) -> String
    /// "aussi relayé par Centre Inffo, Légifrance".
    var alsoIn: @Sendable (String) -> String
    /// "réf. a1b2c3": the reference `watchctl follow` takes.
    var reference: @Sendable (String) -> String
    /// "Rien de nouveau cette semaine."
    var nothingNew: String
    /// "Angles morts".
    var blindSpots: String
    /// "Ces sources n'ont pas pu être lues : …".
    var blindSpotsIntro: String
    /// "Aucune source en échec cette semaine."
    var noBlindSpots: String
    /// The words of the footer sentence (``counts(_:)`` puts them together).
    var countWords: CountWords
    /// "site injoignable": a blind spot's reason.
    var failure: @Sendable (FailureReason) -> String
    /// "Préparé par regwatch".
    var generatedBy: String
    /// "Suivi": the section of earlier items still to act on.
    var followUp: String
    /// "Encore à exploiter, décidé une semaine précédente :".
    var followUpIntro: String
    /// "sans responsable", when nobody was named.
    var noOwner: String
    /// "à exploiter depuis 12 jours".
    var waiting: @Sendable (Int) -> String
    /// Monday first.
    var weekdays: [String]
    /// January first.
    var months: [String]
    /// Day of month as written: "1er", "2".
    var dayOfMonth: @Sendable (Int) -> String
    /// "mardi 2 décembre" / "Tuesday 2 December".
    var date: @Sendable (_ weekday: String, _ day: String, _ month: String) -> String
    /// The list separator for "aussi relayé par": ", ".
    var listSeparator: String

    /// The clauses of the footer sentence, each given its number.
    struct CountWords: Sendable {
        /// "12 sources suivies".
        var sources: @Sendable (Int) -> String
        /// ", dont 1 en échec".
        var failing: @Sendable (Int) -> String
        /// "24 articles de la semaine".
        var kept: @Sendable (Int) -> String
        /// " : 20 présentés".
        var shown: @Sendable (Int) -> String
        /// ", 4 en liste".
        var listed: @Sendable (Int) -> String
        /// "2 articles plus anciens trouvés à la première lecture de nouvelles sources, non repris".
        var olderFound: @Sendable (Int) -> String
    }

    /// "12 sources suivies, dont 1 en échec. 24 articles de la semaine : 20 présentés, 4 en liste."
    func counts(_ c: Counts) -> String {
        let words = countWords
        var sentences: [String] = []
        if c.sources > 0 {
            sentences.append(words.sources(c.sources) + (c.failing > 0 ? words.failing(c.failing) : ""))
        }
        var week = words.kept(c.kept)
        if c.kept > 0 {
            week += words.shown(c.shown)
            if c.listed > 0 { week += words.listed(c.listed) }
        }
        sentences.append(week)
        if c.olderFound > 0 { sentences.append(words.olderFound(c.olderFound)) }
        return sentences.joined(separator: ". ") + "."
    }

    /// The numbers of the footer sentence.
    struct Counts {
        /// Enabled sources (0: not known, the clause is left out).
        var sources: Int
        /// Sources failing at the last poll.
        var failing: Int
        /// The week's items (stories merged).
        var kept: Int
        /// Shown in full.
        var shown: Int
        /// Listed in "Pour aller plus loin" (including the ones only counted).
        var listed: Int
        /// Back catalogue found during the week, not shown.
        var olderFound: Int
    }

    static func `for`(_ language: DigestSettings.Language) -> DigestStrings {
        switch language {
        case .fr: .french
        case .en: .english
        }
    }

    static let french = DigestStrings(
        title: "Veille réglementaire",
        weekLabel: { "Semaine \($0)" },
        period: { "du \($0) au \($1)" },
        readingTime: { "Lecture : \($0) min" },
        itemCount: { $0 <= 1 ? "\($0) article" : "\($0) articles" },
        highlights: "À retenir",
        others: "Autres",
        untitled: "(sans titre)",
        more: "Pour aller plus loin",
        andMore: { "… et \($0) \($0 == 1 ? "autre" : "autres")" },
        alsoIn: { "aussi relayé par \($0)" },
        reference: { "réf. \($0)" },
        nothingNew: "Rien de nouveau cette semaine.",
        blindSpots: "Angles morts",
        blindSpotsIntro: "Ces sources n’ont pas pu être lues lors du dernier relevé (détails : watchctl list-feeds) :",
        noBlindSpots: "Aucune source en échec : toutes les sources ont été lues.",
        // French puts 0 and 1 in the singular.
        countWords: CountWords(
            sources: { "\($0) \($0 <= 1 ? "source suivie" : "sources suivies")" },
            failing: { ", dont \($0) en échec" },
            kept: { "\($0) \($0 <= 1 ? "article" : "articles") de la semaine" },
            shown: { " : \($0) \($0 <= 1 ? "présenté" : "présentés")" },
            listed: { ", \($0) en liste" },
            olderFound: {
                "\($0) \($0 <= 1 ? "article plus ancien trouvé" : "articles plus anciens trouvés")"
                    + " à la première lecture de nouvelles sources, non repris"
            }),
        failure: { reason in
            switch reason {
            case .unknownHost: "adresse du site introuvable"
            case .unreachable: "site injoignable ou trop lent"
            case .certificate: "certificat du site refusé"
            case .http(let status):
                switch status {
                case 401, 403: "accès refusé (\(status))"
                case 404: "page introuvable (404)"
                case 429: "trop de requêtes, le site demande d’attendre (429)"
                case 500...: "erreur du serveur (\(status))"
                default: "erreur HTTP \(status)"
                }
            case .gone: "source retirée par l’éditeur (410), plus relevée"
            case .notAFeed: "l’adresse donne une page, pas un flux RSS ou Atom"
            case .unreadable: "flux illisible"
            case .layoutChanged: "la mise en page a changé, la recette de la page est à revoir"
            case .tooLarge: "document trop volumineux"
            case .refused: "adresse refusée (redirection ou réseau privé)"
            case .other: "lecture impossible"
            }
        },
        generatedBy: "Préparé par regwatch",
        followUp: "Suivi",
        followUpIntro:
            "Articles d’autres semaines encore à exploiter (watchctl follow RÉF --state exploité une fois fait) :",
        noOwner: "sans responsable",
        waiting: {
            $0 == 0 ? "à exploiter depuis aujourd’hui" : "à exploiter depuis \($0) \($0 == 1 ? "jour" : "jours")"
        },
        weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
        months: [
            "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
            "octobre", "novembre", "décembre",
        ],
        dayOfMonth: { $0 == 1 ? "1er" : String($0) },
        date: { "\($0) \($1) \($2)" },
        listSeparator: ", "
    )

    static let english = DigestStrings(
        title: "Regulatory watch",
        weekLabel: { "Week \($0)" },
        period: { "from \($0) to \($1)" },
        readingTime: { "Reading time: \($0) min" },
        itemCount: { $0 == 1 ? "1 item" : "\($0) items" },
        highlights: "Key points",
        others: "Other news",
        untitled: "(untitled)",
        more: "Further reading",
        andMore: { "… and \($0) more" },
        alsoIn: { "also reported by \($0)" },
        reference: { "ref. \($0)" },
        nothingNew: "Nothing new this week.",
        blindSpots: "Blind spots",
        blindSpotsIntro: "These sources could not be read at the last poll (details: watchctl list-feeds):",
        noBlindSpots: "No failing source: every source was read.",
        countWords: CountWords(
            sources: { "\($0) \($0 == 1 ? "source watched" : "sources watched")" },
            failing: { ", \($0) failing" },
            kept: { "\($0) \($0 == 1 ? "item" : "items") this week" },
            shown: { ": \($0) shown" },
            listed: { ", \($0) listed" },
            olderFound: {
                "\($0) \($0 == 1 ? "older item" : "older items") found on first reading new sources, left out"
            }),
        failure: { reason in
            switch reason {
            case .unknownHost: "site address not found"
            case .unreachable: "site unreachable or too slow"
            case .certificate: "site certificate refused"
            case .http(let status):
                switch status {
                case 401, 403: "access refused (\(status))"
                case 404: "page not found (404)"
                case 429: "too many requests, the site asks to wait (429)"
                case 500...: "server error (\(status))"
                default: "HTTP error \(status)"
                }
            case .gone: "source withdrawn by its publisher (410), no longer fetched"
            case .notAFeed: "the address gives a page, not an RSS or Atom feed"
            case .unreadable: "unreadable feed"
            case .layoutChanged: "the page layout changed, its recipe needs tuning"
            case .tooLarge: "document too large"
            case .refused: "address refused (redirect or private network)"
            case .other: "could not be read"
            }
        },
        generatedBy: "Prepared by regwatch",
        followUp: "Follow-up",
        followUpIntro: "Items of other weeks still to act on (watchctl follow REF --state done once done):",
        noOwner: "no owner",
        waiting: { $0 == 0 ? "to act on since today" : "to act on for \($0) \($0 == 1 ? "day" : "days")" },
        weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        months: [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ],
        dayOfMonth: { String($0) },
        date: { "\($0) \($1) \($2)" },
        listSeparator: ", "
    )

    /// "mardi 2 décembre" (with the year when it is not `year`): how an item's date reads.
    func day(_ date: Date, in timeZone: TimeZone, omittingYear year: Int?) -> String {
        let civil = ISOWeek.CivilDate(date, in: timeZone)
        return day(civil, omittingYear: year)
    }

    func day(_ civil: ISOWeek.CivilDate, omittingYear year: Int?) -> String {
        let text = self.date(weekdays[civil.isoWeekday - 1], dayOfMonth(civil.day), months[civil.month - 1])
        return civil.year == year ? text : "\(text) \(civil.year)"
    }

    /// "du lundi 1er au dimanche 7 décembre 2025" — the week's span, for the header; the month
    /// and year of the Monday are written only when they differ from the Sunday's.
    func span(of week: ISOWeek) -> String {
        let monday = week.monday
        let sunday = ISOWeek.CivilDate(daysSinceEpoch: monday.daysSinceEpoch + 6)
        let first: String
        if monday.month == sunday.month {
            first = "\(weekdays[monday.isoWeekday - 1]) \(dayOfMonth(monday.day))"
        } else {
            first = day(monday, omittingYear: sunday.year)
        }
        return period(first, day(sunday, omittingYear: nil))
    }
}
