// What the store was doing when it failed, and why, in both languages: "database PATH: cannot " + action.

import Foundation

extension Wording {
    /// `database PATH: cannot ACTION: MESSAGE`, with a hint when the run, not the input, failed.
    static func storeFailure(path: String, action: Wording, message: Wording, kind: FailureKind) -> Wording {
        let runtime = kind == .runtime
        return Wording(
            "base \(path) : impossible de \(action.french) : \(message.french)"
                + (runtime
                    ? " (vérifier que le fichier et son dossier sont modifiables et que le disque n'est pas plein)"
                    : ""),
            "database \(path): cannot \(action.english): \(message.english)"
                + (runtime ? " (check the file and its folder are writable and the disk is not full)" : ""))
    }

    /// SQLite's words and code; in French, the usual codes in French (SQLite speaks only English).
    static func sqlite(_ message: String?, code primary: Int32, extended: Int32) -> Wording {
        let english = "\(message ?? "SQLite error") (SQLite code \(extended))"
        let french: String? =
            switch primary {
            case 3: "accès refusé"
            case 5, 6: "base verrouillée par un autre processus"
            case 8: "base en lecture seule"
            case 10: "erreur d'entrée-sortie du disque"
            case 11: "fichier de base endommagé"
            case 13: "disque plein"
            case 14: "fichier impossible à ouvrir"
            case 26: "le fichier n'est pas une base SQLite"
            default: nil
            }
        return Wording(
            french.map { "\($0) (code SQLite \(extended))" }
                ?? "\(message ?? "erreur SQLite") (code SQLite \(extended))", english)
    }

    static let createFolder = Wording("créer son dossier", "create its folder")
    static let openDatabase = Wording("l'ouvrir", "open")
    static let writeDatabase = Wording("y écrire", "write")
    static let readOnlyFile = Wording(
        "le fichier ou son montage est en lecture seule", "the file or its mount is read-only")
    static let searchWords = Wording("chercher", "search")
    static func noWordToSearch(_ query: String) -> Wording {
        Wording(
            "la requête « \(query) » n'a aucun mot à chercher", "the query \"\(query)\" has no word to search for")
    }
    static let nothingToRecord = Wording(
        "rien à enregistrer : donner un état, un responsable ou une note",
        "nothing to record: give a state, an owner or a note")
    static let noSuchItem = Wording(
        "aucun article enregistré n'a ce numéro (voir watchctl items ou search pour les numéros)",
        "no stored item has this id (see watchctl items or search for ids)")
    static let checkIntegrity = Wording("vérifier son intégrité", "check integrity")
    static let countItems = Wording("compter les articles", "count items")
    static func findItem(_ text: some CustomStringConvertible) -> Wording {
        Wording("trouver l'article \(text)", "find item \(text)")
    }
    static func keepDigestSent(_ week: some CustomStringConvertible) -> Wording {
        Wording("conserver le digest \(week) tel qu'envoyé", "keep the digest of \(week) as sent")
    }
    static func readItem(_ id: some CustomStringConvertible) -> Wording {
        Wording("lire l'article \(id)", "read item \(id)")
    }
    static let readItemsToTag = Wording("lire les articles à classer", "read items to tag")
    static let readItems = Wording("lire les articles", "read items")
    static let readSchemaVersion = Wording("lire la version de son schéma", "read its schema version")
    static let readAuditRecord = Wording("lire le registre de veille", "read the audit record")
    static let readCorrectedItems = Wording("lire les articles corrigés", "read the corrected items")
    static func readDeliveriesOfWeek(_ week: some CustomStringConvertible) -> Wording {
        Wording("lire les livraisons de \(week)", "read the deliveries of \(week)")
    }
    static let readDeliveries = Wording("lire les livraisons", "read the deliveries")
    static func readDigest(_ week: some CustomStringConvertible) -> Wording {
        Wording("lire le digest \(week)", "read the digest of \(week)")
    }
    static func readDigests(_ week: some CustomStringConvertible) -> Wording {
        Wording("lire les digests \(week)", "read the digests of \(week)")
    }
    static let readFeeds = Wording("lire les flux", "read the feeds")
    static func readFetchLog(_ feedURL: some CustomStringConvertible) -> Wording {
        Wording("lire le journal de lecture de \(feedURL)", "read the fetch log of \(feedURL)")
    }
    static let readFollowList = Wording("lire la liste des suivis", "read the follow-up list")
    static func readFollow(_ itemID: some CustomStringConvertible) -> Wording {
        Wording("lire le suivi de l'article \(itemID)", "read the follow-up of item \(itemID)")
    }
    static func readItemsOfWeek(_ week: some CustomStringConvertible) -> Wording {
        Wording("lire les articles de \(week)", "read the items of \(week)")
    }
    static let readLastDeliveries = Wording("lire les dernières livraisons", "read the last deliveries")
    static let readPagesLastReads = Wording("lire les dernières lectures des pages", "read the pages' last reads")
    static func readFeedState(_ feedURL: some CustomStringConvertible) -> Wording {
        Wording("lire l'état de \(feedURL)", "read the state of \(feedURL)")
    }
    static let readStatus = Wording("lire l'état de la veille", "read the status")
    static let readFirstDate = Wording("lire la première date de la base", "read the store's first date")
    static func readStory(_ itemID: some CustomStringConvertible) -> Wording {
        Wording("lire l'histoire de l'article \(itemID)", "read the story of item \(itemID)")
    }
    static func readCorrections(_ itemID: some CustomStringConvertible) -> Wording {
        Wording("lire les corrections de thèmes de l'article \(itemID)", "read the topic corrections of item \(itemID)")
    }
    static func readTopics(_ itemID: some CustomStringConvertible) -> Wording {
        Wording("lire les thèmes de l'article \(itemID)", "read the topics of item \(itemID)")
    }
    static func recordDelivery(_ week: some CustomStringConvertible, _ target: some CustomStringConvertible) -> Wording
    { Wording("enregistrer la livraison de \(week) à \(target)", "record the delivery of \(week) to \(target)") }
    static func recordDigest(_ week: some CustomStringConvertible) -> Wording {
        Wording("enregistrer le digest \(week)", "record the digest of \(week)")
    }
    static func recordFetch(_ feedURL: some CustomStringConvertible) -> Wording {
        Wording("enregistrer la lecture de \(feedURL)", "record the fetch of \(feedURL)")
    }
    static func recordFollow(_ itemID: some CustomStringConvertible) -> Wording {
        Wording("enregistrer le suivi de l'article \(itemID)", "record the follow-up of item \(itemID)")
    }
    static func recordCorrection(_ itemID: some CustomStringConvertible) -> Wording {
        Wording(
            "enregistrer la correction de thèmes de l'article \(itemID)",
            "record the topic correction of item \(itemID)")
    }
    static func correctTopics(_ itemID: some CustomStringConvertible) -> Wording {
        Wording("corriger les thèmes de l'article \(itemID)", "correct the topics of item \(itemID)")
    }
    static func search(_ query: some CustomStringConvertible) -> Wording {
        Wording("chercher « \(query) »", "search \"\(query)\"")
    }
    static func storeItems(_ feedURL: some CustomStringConvertible) -> Wording {
        Wording("enregistrer les articles de \(feedURL)", "store the items of \(feedURL)")
    }
    static let storeTags = Wording("enregistrer les thèmes", "store topic tags")
}
