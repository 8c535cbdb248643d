import Foundation
import RegWatch

/// The command lines of the message catalogue (`RegWatch/Messages/`), in both languages:
/// commands call `Messages.current`; the French and the English of a line sit side by side.
extension Messages {
    // MARK: Shared words

    var untitled: String { text("(sans titre)", "(untitled)") }
    var never: String { text("jamais", "never") }
    var none: String { text("aucun", "none") }

    /// A follow state's label (`à lire` / `to read`).
    func label(_ state: FollowState) -> String { state.label(language.digestLanguage) }

    // MARK: status

    func statusTitle(week: String) -> String { text("regwatch — semaine \(week)", "regwatch — week \(week)") }
    func statusFeeds(enabled: Int, ok: Int, failing: Int, neverFetched: Int) -> String {
        text(
            "Flux : \(enabled) actifs, \(ok) OK, \(failing) en échec, \(neverFetched) jamais lus",
            "Feeds: \(enabled) enabled, \(ok) OK, \(failing) failing, \(neverFetched) never read")
    }
    func statusItems(thisWeek: Int, stored: Int, older: Int) -> String {
        if french {
            let back = older > 0 ? ", \(older) plus anciens découverts cette semaine" : ""
            return "Articles publiés cette semaine : \(thisWeek) (\(stored) en base\(back))"
        }
        let back = older > 0 ? ", \(older) older ones found this week" : ""
        return "Items published this week: \(thisWeek) (\(stored) stored\(back))"
    }
    func statusLastPoll(_ when: String?) -> String {
        text("Dernière lecture des flux : \(when ?? never)", "Last poll: \(when ?? never)")
    }
    func statusLastDigest(week: String, built: String, sent: String?) -> String {
        if french {
            return "Dernier digest : \(week), construit le \(built)"
                + (sent.map { ", envoyé le \($0)" } ?? ", non envoyé")
        }
        return "Last digest: \(week), built on \(built)" + (sent.map { ", sent on \($0)" } ?? ", not sent")
    }
    var statusNoDigest: String { text("Dernier digest : aucun", "Last digest: none") }
    func statusDelivery(target: String, week: String, time: String, error: String?) -> String {
        if french {
            return "Livraison « \(target) » : \(week) le \(time), " + (error.map { "échec : \($0)" } ?? "livrée")
        }
        return "Delivery \"\(target)\": \(week) on \(time), " + (error.map { "failed: \($0)" } ?? "delivered")
    }
    var statusFailingHeader: String {
        text("Flux en échec (angles morts de la veille) :", "Failing feeds (blind spots of the watch):")
    }
    func statusFailing(name: String, url: String, streak: Int, error: String?) -> String {
        text(
            "\(name) (\(url)) — \(streak) échec(s) : \(error ?? "supprimé (410)")",
            "\(name) (\(url)) — \(streak) failure(s): \(error ?? "gone (410)")")
    }

    // MARK: list-feeds

    var feedsHeader: [String] {
        french
            ? ["FLUX", "ÉTAT", "DERNIÈRE LECTURE", "ÉCHECS", "ARTICLES", "URL"]
            : ["FEED", "STATE", "LAST READ", "FAILURES", "ITEMS", "URL"]
    }
    func feedsTotal(_ count: Int, failing: Int) -> String {
        text("\(count) flux, \(failing) en échec", "\(count) feeds, \(failing) failing")
    }
    var feedDisabled: String { text("désactivé", "disabled") }
    var feedNeverRead: String { text("jamais lu", "never read") }
    var feedGone: String { text("410 supprimé", "410 gone") }
    func feedFailing(_ detail: String?) -> String {
        guard let detail else { return text("échec", "failing") }
        return text("échec : \(detail)", "failing: \(detail)")
    }
    func feedFailing(status: Int) -> String { text("échec \(status)", "failing \(status)") }

    // MARK: items, search

    var itemsHeader: [String] {
        french ? ["N°", "DATE", "SOURCE", "THÈMES", "TITRE"] : ["NO.", "DATE", "SOURCE", "TOPICS", "TITLE"]
    }
    var noItems: String { text("aucun article", "no items") }
    func noSearchResult(_ query: String) -> String {
        text("aucun résultat pour « \(query) »", "no result for \"\(query)\"")
    }
    func badSince(_ value: String) -> String {
        text(
            "--since : « \(value) » n'est pas une date (écrire 2025-12-01, 2025-12-01T08:00:00Z, ou 7d pour il y a sept jours)",
            "--since: \"\(value)\" is not a date (write 2025-12-01, 2025-12-01T08:00:00Z, or 7d for seven days ago)")
    }
    /// An item reference (`42`, `réf. 42`, a link) that matches nothing stored.
    func unknownItem(command: String, reference: String, database: String) -> String {
        text(
            "\(command) : aucun article « \(reference) » dans \(database) ; donner le n° de réf. affiché par watchctl items, search ou le digest (42, réf. 42, #42), ou le lien de l'article",
            "\(command): no stored item \"\(reference)\" in \(database); use the réf. number shown by watchctl items, search or the digest (42, réf. 42, #42), or the item's link"
        )
    }

    // MARK: follow

    func followHeading(id: Int64, title: String) -> String { text("réf. \(id) · \(title)", "réf. \(id) · \(title)") }
    var followNoDecision: String {
        text("état : \(label(.new)), aucune décision enregistrée", "state: \(label(.new)), no decision recorded")
    }
    func followState(_ state: FollowState, since: String, owner: String?) -> String {
        if french {
            return "état : \(label(state)) depuis le \(since)" + (owner.map { " · responsable : \($0)" } ?? "")
        }
        return "state: \(label(state)) since \(since)" + (owner.map { " · owner: \($0)" } ?? "")
    }
    var followHistoryHeader: [String] {
        french ? ["DATE", "ÉTAT", "RESPONSABLE", "NOTE"] : ["DATE", "STATE", "OWNER", "NOTE"]
    }
    var followListHeader: [String] {
        french
            ? ["N°", "ÉTAT", "DEPUIS", "RESPONSABLE", "TITRE", "NOTE"]
            : ["NO.", "STATE", "SINCE", "OWNER", "TITLE", "NOTE"]
    }
    var followNone: String { text("aucun suivi enregistré", "nothing followed yet") }
    func followRecorded(
        id: Int64, state: FollowState, unchanged: Bool, noteAdded: Bool, owner: String?, title: String
    ) -> String {
        var line = "réf. \(id) → \(label(state))"
        if unchanged {
            line +=
                noteAdded
                ? text(" (état inchangé, note ajoutée)", " (state unchanged, note added)")
                : text(" (état inchangé)", " (state unchanged)")
        }
        if let owner { line += " (\(owner))" }
        return line + text(" : ", ": ") + title
    }

    // MARK: poll

    /// "42 flux : 30 lus, 10 inchangés (304), 2 en échec — 57 nouveaux articles".
    func pollSummary(feeds: Int, ok: Int, notModified: Int, failed: Int, newItems: Int) -> String {
        text(
            "\(feeds) flux : \(ok) lus, \(notModified) inchangés (304), \(failed) en échec — \(newItems) nouveaux articles",
            "\(feeds) feeds: \(ok) read, \(notModified) unchanged (304), \(failed) failing — \(newItems) new items")
    }
    /// One failed source of a poll. English keeps the fetcher's own words (they name the URL);
    /// French gives the kind of failure as the digest words it, the fetcher's words being English
    /// (`poll --json` and `list-feeds` keep them whole).
    /// A feed read fine but with no item, though it gave items before.
    func pollEmptied(url: String) -> String {
        french
            ? "vide : \(url) ne donne plus aucun article (il en donnait) — à vérifier"
            : "empty: \(url) gives no item any more (it used to) — check it"
    }
    /// The heading of the feeds `status` lists as emptied.
    var statusEmptied: String {
        french
            ? "Flux vides (ils donnaient des articles, à vérifier) :"
            : "Empty feeds (they used to give items, check them):"
    }
    func pollFailure(url: String, error: String) -> String {
        guard french else { return "failed: \(error)" }
        return "échec : \(url) : " + failureReason(url: url, error: error, status: nil, gone: false)
    }
    /// The kind of failure of a stored fetch error, in French (`page introuvable (404)`).
    func failureReason(url: String, error: String, status: Int?, gone: Bool) -> String {
        let detail = error.hasPrefix(url + ": ") ? String(error.dropFirst(url.count + 2)) : error
        return FailureReason(error: detail, status: status, gone: gone).label(language.digestLanguage)
    }
    func progress(done: Int, total: Int) -> String { text("\(done)/\(total) flux", "\(done)/\(total) feeds") }
    func noFeedEntry(file: String, feed: String) -> String {
        text(
            "\(file) : aucune entrée [[feeds]] pour \(feed) — l'ajouter avec `watchctl add-feed \(feed)`",
            "\(file): no [[feeds]] entry for \(feed) — add it with `watchctl add-feed \(feed)`")
    }
    func notHTTP(_ option: String, _ value: String) -> String {
        text(
            "\(option) : « \(value) » n'est pas une URL http(s)", "\(option): \"\(value)\" is not an http(s) URL")
    }

    // MARK: digest

    func digestWritten(file: String, week: String, shown: Int, minutes: Int, note: String) -> String {
        text(
            "\(file) : \(week), \(shown) articles présentés, \(minutes) min\(note)",
            "\(file): \(week), \(shown) items shown, \(minutes) min\(note)")
    }
    var digestPreview: String {
        text(
            " (aperçu : hors du dossier [digest] output_dir, non enregistré)",
            " (preview: not in [digest] output_dir, not recorded)")
    }
    func digestKept(frozen: String, version: Int) -> String {
        text(
            " (conservé tel que livré le \(frozen), version \(version) ; --rebuild pour en refaire un)",
            " (kept as delivered on \(frozen), version \(version); --rebuild for a new one)")
    }
    func digestNoTarget(file: String) -> String {
        text(
            "aucune cible de livraison configurée : le digest est dans \(file)",
            "no delivery target configured: the digest is in \(file)")
    }
    func delivered(target: String) -> String { text("\(target) : livré", "\(target): delivered") }
    func alreadyDelivered(target: String, on date: String) -> String {
        text(
            "\(target) : déjà livré le \(date) (--force pour livrer à nouveau)",
            "\(target): already delivered on \(date) (--force to deliver again)")
    }
    func deliveryFailed(target: String, error: String) -> String {
        text("\(target) : échec : \(error)", "\(target): failed: \(error)")
    }
    func digestSent(week: String, recipients: String, file: String, firstSend: Bool) -> String {
        if french {
            return "\(week) envoyé à \(recipients) ; conservé dans \(file)" + (firstSend ? "" : " (déjà marqué envoyé)")
        }
        return "sent \(week) to \(recipients); kept \(file)" + (firstSend ? "" : " (already marked sent earlier)")
    }

    // MARK: fetch, add-feed, remove-feed, import-opml, check-config

    func fetchTitle(_ title: String, format: String, items: Int) -> String {
        text("\(title) — \(format), \(items) articles", "\(title) — \(format), \(items) items")
    }
    func fetchFeed(_ url: String) -> String { text("flux : \(url)", "feed: \(url)") }
    func discoveredFrom(_ url: String) -> String { text("découvert depuis : \(url)", "discovered from: \(url)") }
    func alsoAnnounced(_ url: String) -> String { text("  également annoncé : \(url)", "  also announced: \(url)") }
    func andMore(_ count: Int) -> String { text("  … et \(count) de plus", "  … and \(count) more") }
    /// A missing date, as wide as `2025-12-03` so the titles stay aligned.
    var undated: String { text("(sans date)", "(undated)  ") }
    func pageSummary(_ title: String, items: Int, detected: Bool) -> String {
        let how =
            detected ? text("détectée", "detected") : text("lue avec la recette donnée", "read with the recipe given")
        return text("\(title) — page, \(items) articles (\(how))", "\(title) — page, \(items) items (\(how))")
    }
    func linesCompared(_ title: String, count: Int) -> String {
        text("\(title) — \(count) lignes comparées", "\(title) — \(count) lines compared")
    }

    func added(_ url: String, to file: String, kind: String?) -> String {
        let suffix = kind.map { " (kind = \"\($0)\")" } ?? ""
        return text("\(url) ajouté à \(file)\(suffix)", "added \(url) to \(file)\(suffix)")
    }
    func addedDiscovered(from url: String) -> String { text("découvert depuis \(url)", "discovered from \(url)") }
    func addedFeed(_ name: String, format: String, items: Int) -> String {
        text("\(name) : \(format), \(items) articles", "\(name): \(format), \(items) items")
    }
    func watchedDocument(_ name: String, type: String?, bytes: Int) -> String {
        text(
            "\(name) : un document (\(type ?? "type inconnu"), \(bytes) octets), surveillé par son contenu",
            "\(name): a document (\(type ?? "unknown type"), \(bytes) bytes), watched by content")
    }
    func watchedLines(_ name: String, count: Int) -> String {
        text(
            "\(name) : \(count) lignes de texte surveillées ; la première lecture les enregistre, les suivantes signalent les changements",
            "\(name): \(count) lines of text watched; the first poll records them, the next ones report changes")
    }
    func topicsSeen(_ topics: [String]) -> String {
        let list = topics.isEmpty ? none : topics.joined(separator: ", ")
        return text("thèmes vus : \(list)", "topics seen: \(list)")
    }
    func badInterval(_ value: String) -> String {
        text(
            "add-feed : --interval \(value) n'est pas une durée comme 90s, 30m, 2h ou 1d",
            "add-feed: --interval \(value) is not a duration such as 90s, 30m, 2h or 1d")
    }
    func removed(_ url: String, from file: String) -> String {
        text(
            "\(url) retiré de \(file) (ses articles enregistrés restent)",
            "removed \(url) from \(file) (its stored items stay)")
    }
    func imported(file: String, read: Int, added: Int, duplicates: Int, skipped: Int) -> String {
        text(
            "\(file) : \(read) flux lus, \(added) ajoutés, \(duplicates) déjà présents, \(skipped) ignorés",
            "\(file): \(read) feeds read, \(added) added, \(duplicates) already listed, \(skipped) skipped")
    }
    func exported(_ count: Int, to file: String) -> String {
        text("\(count) flux exportés dans \(file)", "exported \(count) feeds to \(file)")
    }
    func importSkipped(_ url: String) -> String {
        text("  ignoré (pas une URL http(s)) : \(url)", "  skipped (not an http(s) URL): \(url)")
    }
    /// A regwatch outline whose setting fails the feeds.toml check: `reason` names the attribute.
    func importSkipped(_ url: String, because reason: Wording) -> String {
        text("  ignoré \(url) : \(reason.french)", "  skipped \(url): \(reason.english)")
    }
    func configOK(
        file: String, feeds: Int, disabled: Int, topics: [String], database: String, targets: [String]
    ) -> String {
        var line = text("\(file) : OK — \(feeds) flux", "\(file): OK — \(feeds) feeds")
        if disabled > 0 { line += text(" (\(disabled) désactivés)", " (\(disabled) disabled)") }
        line += text(", \(topics.count) thèmes", ", \(topics.count) topics") + " (\(topics.joined(separator: ", ")))"
        line += text(", base \(database)", ", database \(database)")
        if !targets.isEmpty {
            line += text(", livraison à ", ", delivery to ") + targets.joined(separator: ", ")
        }
        return line
    }

    // MARK: errors

    /// The one line of an error that ends the run, in the run's language: the library's errors
    /// carry both (`RegWatch/Messages/`), watchctl's own `InputError`s are worded here.
    func describe(_ error: any ActionableError) -> String { line(error.wording) }

    // MARK: watchctl's own checks

    var correctionNeedsItem: String {
        text(
            "--add, --remove et --by corrigent un article : donner son ID (n° de réf. ou lien)",
            "--add, --remove and --by correct one item: name its ID (réf. number or link)")
    }
    var correctionNeedsTopic: String {
        text(
            "une correction demande --add SUJET ou --remove SUJET", "a correction needs --add TOPIC or --remove TOPIC")
    }
    func badLogLevel(_ value: String, names: String) -> String {
        text(
            "REGWATCH_LOG_LEVEL=\(value) n'est pas un niveau de journal — en choisir un parmi \(names)",
            "REGWATCH_LOG_LEVEL=\(value) is not a log level — use one of \(names)")
    }
    /// `problem` is `PageRecipe.problem(in:)`'s: an empty expression, or one libxml2 cannot compile.
    func badXPath(_ flag: String, _ value: String, problem: String) -> String {
        let french = problem.contains("empty") ? "expression XPath vide" : "pas une expression XPath 1.0 valide"
        return text("\(flag) \(value) : \(french)", "\(flag) \(value): \(problem)")
    }
    var pageOptionsNeedPage: String {
        text(
            "--items, --link, --date et --summary décrivent une page : les utiliser avec --kind page",
            "--items, --link, --date and --summary describe a page: use them with --kind page")
    }
    var regionNeedsChange: String {
        text(
            "--region décrit une page surveillée : l'utiliser avec --kind change",
            "--region describes a watched page: use it with --kind change")
    }
    var fieldsNeedItems: String {
        text(
            "--link, --date et --summary se lisent dans chaque article : donner aussi --items XPATH",
            "--link, --date and --summary are read inside each item: give --items XPATH too")
    }
    var evaluateTakesNoText: String {
        text(
            "--evaluate lit les corrections enregistrées : retirer TEXTE",
            "--evaluate reads the stored corrections: drop TEXT")
    }
    var negativeLimit: String { text("--limit doit valoir 0 ou plus", "--limit must be 0 or more") }
    func goesWith(_ option: String, _ other: String) -> String {
        text("\(option) va avec \(other)", "\(option) goes with \(other)")
    }
    var jsonGoesWithDeliver: String {
        text(
            "--json va avec --deliver (pour le digest en JSON : --format json)",
            "--json goes with --deliver (for the digest as JSON: --format json)")
    }
    var deliverTakesNoOutput: String {
        text(
            "--deliver écrit dans [digest] output_dir et envoie à chaque cible : retirer --send et --output",
            "--deliver writes to [digest] output_dir and sends to every target: drop --send and --output")
    }
    var ownerNoteNeedNoList: String {
        text(
            "--owner et --note enregistrent une décision : retirer --list",
            "--owner and --note record a decision: drop --list")
    }
    var stateListNeedsNoItem: String {
        text(
            "--state avec --list filtre la liste de tous les articles : retirer ARTICLE ou --state",
            "--state with --list filters the list of all items: drop ITEM or --state")
    }
    var followNeedsItem: String {
        text(
            "donner un ARTICLE (son n° de réf. ou son lien), ou utiliser --list",
            "name an ITEM (its réf. number or link), or use --list")
    }
    var parseNeedsFile: String { text("donner le fichier du flux à lire", "give the feed file to parse") }
    var parseNoChange: String {
        text(
            "--kind change compare une page à sa dernière lecture : utiliser `watchctl fetch URL --kind change`",
            "--kind change compares a page with its last poll: use `watchctl fetch URL --kind change`")
    }
    func notAbsoluteURL(_ value: String) -> String {
        text(
            "--base-url doit être une URL absolue, pas \(value)", "--base-url must be an absolute URL, got \(value)")
    }
    /// `problem` is `PageRecipe.problem(in:)`'s: an empty expression, or one libxml2 cannot compile.
    var titleAndName: String {
        text(
            "--title et --name nomment tous deux un flux ou une page surveillée : n'en garder qu'un "
                + "(avec --kind page, --title est le XPath du titre de chaque article)",
            "--title and --name both name a feed or a change watch: keep one "
                + "(with --kind page, --title is the XPath of each item's title)")
    }
    var emptyName: String {
        text(
            "--name : ne doit pas être vide (le nom affiché de la source)",
            "--name: must not be empty (the source's display name)")
    }
    func badTitleXPath(_ value: String, problem: String) -> String {
        badXPath("--title", value, problem: problem)
            + text(
                " (avec --kind page, --title est le XPath du titre de chaque article)",
                " (with --kind page, --title is the XPath of each item's title)")
    }

    // MARK: usage errors

    /// An argument parser's usage error (`full`: `Error: MESSAGE`, perhaps `Help: …`, the usage
    /// and `See '… --help' …`), in the run's language. ArgumentParser words its errors in English
    /// and keeps their cases internal, so the French is read from its sentences; the `Help:`
    /// line, an option's English help, is left out in French (`--help` stays English, docs/cli.md).
    func usageError(_ message: String, full: String) -> String {
        guard french else { return full }
        var rest = Substring(full)
        if rest.hasPrefix("Error: " + message) { rest = rest.dropFirst(("Error: " + message).count) }
        var lines = ["Erreur : " + Self.frenchUsage(message)]
        for line in rest.split(separator: "\n") where !line.hasPrefix("Help:") {
            if line.hasPrefix("Usage: ") {
                lines.append("Usage : " + line.dropFirst("Usage: ".count))
            } else if let command = line.firstMatch(of: /^  See '(.+)' for more information\.$/)?.1 {
                lines.append("  Voir « \(command) » pour plus d'informations.")
            } else {
                lines.append(String(line))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// ArgumentParser's English sentence in French; anything else (watchctl's own
    /// `ValidationError`s, already worded here) as it is.
    static func frenchUsage(_ message: String) -> String {
        if let m = message.wholeMatch(of: /Missing expected argument '(.+)'/) {
            return "argument attendu manquant : « \(m.1) »"
        }
        if let m = message.wholeMatch(of: /Missing one of: (.+)/) { return "il manque l'un de : \(m.1)" }
        if let m = message.wholeMatch(of: /Unknown option '(.+)'\. Did you mean '(.+)'\?/) {
            return "option inconnue « \(m.1) » ; vouliez-vous dire « \(m.2) » ?"
        }
        if let m = message.wholeMatch(of: /Unknown option '(.+)'/) { return "option inconnue « \(m.1) »" }
        if let m = message.wholeMatch(of: /Missing value for '(.+)'/) { return "valeur manquante pour « \(m.1) »" }
        if let m = message.wholeMatch(of: /Unexpected argument '(.+)'/) { return "argument inattendu « \(m.1) »" }
        if let m = message.wholeMatch(of: /(\d+) unexpected arguments: (.+)/) {
            return "\(m.1) arguments inattendus : \(m.2)"
        }
        if let m = message.wholeMatch(of: /The option '(.+)' does not take any value, but '(.+)' was specified\./) {
            return "l'option « \(m.1) » ne prend pas de valeur, mais « \(m.2) » a été donné"
        }
        if let m = message.wholeMatch(of: /The value '(.*)' is invalid for '([^']+)'(?s:(.*))/) {
            var rest = String(m.3)
            if let list = rest.wholeMatch(of: /\. Please provide one of (.+)\./)?.1 {
                rest =
                    " ; valeurs possibles : "
                    + list.replacingOccurrences(of: " and ", with: " et ")
                    .replacingOccurrences(of: " or ", with: " ou ")
            } else if rest.hasPrefix(". Please provide one of the following:") {
                rest = " ; valeurs possibles :" + rest.dropFirst(". Please provide one of the following:".count)
            } else if rest.hasPrefix(": ") {
                rest = " :" + rest.dropFirst()
            }
            return "la valeur « \(m.1) » n'est pas valide pour « \(m.2) »\(rest)"
        }
        if message == "Missing required subcommand." { return "sous-commande manquante" }
        if let m = message.wholeMatch(of: /Invalid option: (.+)/) { return "option invalide : \(m.1)" }
        return message
    }

    // MARK: tag

    var noTopic: String {
        text("aucun thème (aucune règle n'atteint son seuil)", "no topic (no rule reached its threshold)")
    }
    func topicScore(_ topic: String, score: String, threshold: String, matched: String) -> String {
        text(
            "\(topic) : score \(score) ≥ \(threshold), termes trouvés \(matched)",
            "\(topic): score \(score) ≥ \(threshold), matched \(matched)")
    }

    func topicByModel(_ topic: String, probability: String, threshold: String, words: String) -> String {
        text(
            "\(topic) : donné par le modèle appris, probabilité \(probability) ≥ \(threshold), mots \(words)",
            "\(topic): given by the learned model, probability \(probability) ≥ \(threshold), words \(words)")
    }

    // MARK: tag --evaluate

    var noCorrections: String {
        text(
            "aucune correction enregistrée : corrigez des articles avec watchctl retag ID --add SUJET --remove SUJET",
            "no corrections recorded: correct items with watchctl retag ID --add TOPIC --remove TOPIC")
    }
    func rulesScored(on count: Int) -> String {
        text(
            "règles évaluées sur \(count) articles corrigés par l'équipe",
            "rules scored on \(count) items corrected by the team")
    }
    var evaluationHeader: [String] {
        french
            ? ["SUJET", "PRÉCISION", "RAPPEL", "F1", "VP", "FP", "FN"]
            : ["TOPIC", "PRECISION", "RECALL", "F1", "TP", "FP", "FN"]
    }
    var rulesAgree: String {
        text("les règles sont d'accord avec chaque correction", "the rules agree with every correction")
    }
    var missesHeader: String { text("articles que les règles classent mal :", "items the rules get wrong:") }
    func missReference(_ id: String) -> String { text("réf. \(id)", "item \(id)") }
    var missesLegend: String {
        text(
            "(+ sujet donné à tort par les règles, - sujet qu'elles manquent)",
            "(+ topic the rules give wrongly, - topic they miss)")
    }

    // MARK: retag, init

    func retagged(items: Int, changed: Int) -> String {
        text(
            "\(items) articles relus, \(changed) ont changé de sujets",
            "\(items) items read again, \(changed) changed topics")
    }
    func corrected(id: Int64, by author: String, topics: [String]) -> String {
        let list = topics.isEmpty ? none : topics.joined(separator: ", ")
        return text(
            "réf. \(id) corrigé par \(author) ; sujets : \(list)", "item \(id) corrected by \(author); topics: \(list)")
    }
    func bothAddedAndRemoved(_ topic: String) -> String {
        text(
            "retag : \(topic) est à la fois dans --add et dans --remove ; n'en garder qu'un",
            "retag: \(topic) is both in --add and --remove; keep one")
    }
    func initWrote(file: String, sources: Int, topics: String) -> String {
        text(
            "\(file) écrit : \(sources) sources, thèmes \(topics).",
            "wrote \(file): \(sources) sources, topics \(topics).")
    }
    var initNext: String { text("Ensuite :", "Next:") }
    /// The comment after each suggested first command of `init`.
    func initStep(_ command: String) -> String {
        switch command {
        case "check-config": text("vérifier le fichier après l'avoir modifié", "check the file after editing it")
        case "poll": text("lire les sources une première fois", "read the sources a first time")
        case "digest": text("le digest de la semaine écoulée", "the digest of the week that ended")
        default: text("ce qui a été trouvé", "what was found")
        }
    }
    func initPaths(database: String, digests: String) -> String {
        text(
            "Base de données : \(database) ; digests : \(digests)", "Database: \(database); digests: \(digests)")
    }
}

/// watchctl's own errors in both languages, like the library's (`RegWatch/Messages/`).
extension Wording {
    static func tagInput(line: Int) -> Wording {
        Wording(
            "tag : la ligne \(line) de l'entrée n'est pas un objet JSON comme {\"id\":…,\"title\":…,\"summary\":…} : "
                + "corriger cette ligne (un objet par ligne)",
            "tag: stdin line \(line) is not a JSON object like {\"id\":…,\"title\":…,\"summary\":…}: "
                + "fix that line (one object per line)")
    }
    static func opmlUnwritable(_ path: String, reason: String) -> Wording {
        Wording(
            "\(path) : impossible d'écrire le fichier OPML : \(reason) (vérifier que le dossier existe et est modifiable)",
            "\(path): cannot write the OPML file: \(reason) (check the folder exists and is writable)")
    }
    static func notAFeedFile(_ file: String, reason: Wording) -> Wording {
        Wording(
            "\(file) : \(reason.french) ; donner un fichier RSS, Atom, RDF ou JSON Feed",
            "\(file): \(reason.english); give an RSS, Atom, RDF or JSON Feed file")
    }
    static func cannotReadFile(_ reason: Wording) -> Wording {
        Wording("impossible de lire le fichier (\(reason.french))", "cannot read the file (\(reason.english))")
    }
    static let noSuchFile = Wording("fichier inexistant", "no such file")
    /// Why a file could not be read: the system's words, in French for the usual causes.
    static func fileReason(_ error: any Error) -> Wording {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return .systemReason(code.rawValue)
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return .noSuchFile }
        return .untranslated(nsError.localizedDescription)
    }
    /// `strerror`'s words (English only), in French for the causes a person meets.
    static func systemReason(_ code: Int32) -> Wording {
        let english = String(cString: strerror(code))
        let french: String? =
            switch code {
            case ENOENT: "fichier ou dossier inexistant"
            case EACCES, EPERM: "permission refusée"
            case EISDIR: "c'est un dossier"
            case ENOTDIR: "un élément du chemin n'est pas un dossier"
            case ENOSPC: "disque plein"
            case EROFS: "système de fichiers en lecture seule"
            default: nil
            }
        return Wording(french ?? english, english)
    }
    static let noHeadlineBlock = Wording(
        "aucun bloc répété de liens de titres trouvé (donner --items XPATH)",
        "no repeated block of headline links found (give --items XPATH)")
    static func notDelivered(to targets: [String]) -> Wording {
        let list = targets.joined(separator: ", ")
        return Wording(
            "digest non livré à \(list) (voir ci-dessus) ; le prochain watchctl digest --deliver réessaie",
            "digest not delivered to \(list) (see above); the next watchctl digest --deliver tries again")
    }
}
