import FeedParser
import Foundation
import Transfer

// The delivery's failures in both languages: "NAME (TYPE): " + one of these.

extension Wording {
    /// A failed delivery as the store kept it: the two lines `digest --deliver` worded. One
    /// recorded before the store kept the French (schema v11) has only its English, which is
    /// then the French too: nothing else says what went wrong.
    static func storedDeliveryFailure(english: String, french: String?) -> Wording {
        Wording(french ?? english, english)
    }

    static let slackWebhook = Wording("le webhook Slack", "the Slack webhook")
    static let teamsWebhook = Wording("le webhook Teams", "the Teams webhook")
    static let webhook = Wording("le webhook", "the webhook")
    static let matrixHomeserver = Wording("le serveur Matrix", "the Matrix homeserver")
    static let webDAVServer = Wording("le serveur WebDAV", "the WebDAV server")
    static let notion = Wording("Notion", "Notion")
    static let notionNoPage = Wording(
        "Notion n'a créé aucune page (pas d'id dans sa réponse)", "Notion created no page (no id in its answer)")

    static func roomAliasMissing(_ room: String, on host: String?) -> Wording {
        Wording(
            "l'alias de salon \(room) n'existe pas sur \(host ?? "le serveur") ; vérifier room",
            "room alias \(room) does not exist on \(host ?? "the homeserver"); check room")
    }
    static func roomAliasUnresolved(_ room: String) -> Wording {
        Wording(
            "le serveur n'a pas résolu \(room) en identifiant de salon",
            "the homeserver did not resolve \(room) to a room id")
    }
    static func mayNotPost(in room: String) -> Wording {
        Wording(
            "l'utilisateur du jeton ne peut pas écrire dans \(room) : l'inviter dans le salon (et accepter l'invitation)",
            "the token's user may not post in \(room): invite it to the room (and accept the invitation)")
    }
    static func roomNotFound(_ room: String) -> Wording {
        Wording("salon \(room) introuvable ; vérifier room", "room \(room) not found; check room")
    }
    static func parentFolderMissing(_ folder: String) -> Wording {
        Wording(
            "un dossier parent de \(folder) manque ; le créer ou corriger url",
            "a parent folder of \(folder) is missing; create it or fix url")
    }
    static func folderNotFound(_ folder: String) -> Wording {
        Wording("dossier \(folder) introuvable ; vérifier url", "folder \(folder) not found; check url")
    }
    static func notionDatabaseNotShared(_ database: String) -> Wording {
        Wording(
            "base \(database) introuvable, ou non partagée avec l'intégration : la partager (… → Connexions) "
                + "ou vérifier database",
            "database \(database) not found, or not shared with the integration: share it (… → Connections) "
                + "or check database")
    }
    static func notionDatabaseNotFound(_ database: String) -> Wording {
        Wording(
            "base \(database) introuvable ; vérifier database", "database \(database) not found; check database")
    }
    static func unreachable(_ what: Wording, _ problem: Wording) -> Wording {
        Wording(
            "\(what.french) est injoignable : \(problem.french)",
            "\(what.english) could not be reached: \(problem.english)")
    }
    static func rateLimited(_ what: Wording, attempts: Int) -> Wording {
        Wording(
            "\(what.french) limite le débit (429) après \(attempts) essais ; la prochaine exécution réessaie",
            "\(what.english) is rate limiting (429) after \(attempts) attempts; the next run tries again")
    }
    static let valueInFile = Wording("la valeur dans feeds.toml", "the value in feeds.toml")
    static let theCredentials = Wording("les identifiants", "the credentials")
    /// `NAME (TYPE): message`.
    static func targetFailure(_ name: String, _ type: String, _ message: Wording) -> Wording {
        Wording("\(name) (\(type)) : \(message.french)", "\(name) (\(type)): \(message.english)")
    }
    static func credentialsRefused(_ what: Wording, credential: Wording?) -> Wording {
        let credential = credential ?? .theCredentials
        return Wording(
            "\(what.french) refuse les identifiants (401) : vérifier \(credential.french)",
            "\(what.english) refused the credentials (401): check \(credential.english)")
    }
    static func checkRights(_ credential: Wording?) -> Wording {
        let credential = credential ?? .theCredentials
        return Wording(
            "vérifier \(credential.french) et ses droits", "check \(credential.english) and its rights")
    }
    static func forbidden(_ what: Wording, _ detail: Wording) -> Wording {
        Wording("\(what.french) refuse (403) : \(detail.french)", "\(what.english) refused (403): \(detail.english)")
    }
    static func checkURL(_ reference: Wording?) -> Wording {
        Wording(
            "vérifier \(reference.map { "url (\($0.french))" } ?? "les clés de la cible")",
            "check \(reference.map { "url (\($0.english))" } ?? "the target's keys")")
    }
    static func notFound(_ what: Wording, _ detail: Wording) -> Wording {
        Wording("\(what.french) répond 404 : \(detail.french)", "\(what.english) answered 404: \(detail.english)")
    }
    static func conflict(_ what: Wording, _ detail: Wording) -> Wording {
        Wording("\(what.french) répond 409 : \(detail.french)", "\(what.english) answered 409: \(detail.english)")
    }
    static func serverFailed(_ what: Wording, status: Int) -> Wording {
        Wording(
            "\(what.french) a échoué (\(status)) ; la prochaine exécution réessaie",
            "\(what.english) failed (\(status)); the next run tries again")
    }
    /// `service` is the service's own words (": …"), quoted as it gave them.
    static func refused(_ what: Wording, status: Int, _ service: String) -> Wording {
        Wording(
            "\(what.french) refuse le digest (\(status))\(service)",
            "\(what.english) refused the digest (\(status))\(service)")
    }
    static func secretNotSet(key: String, _ reference: Wording) -> Wording {
        Wording(
            "\(key) : \(reference.french) n'est pas définie ; l'exporter (ou la passer par LoadCredential= sous systemd)",
            "\(key): \(reference.english) is not set; export it (or pass it with LoadCredential= under systemd)")
    }
    static func secretNotHTTP(key: String, _ reference: Wording) -> Wording {
        Wording(
            "\(key) : \(reference.french) n'est pas une URL http(s)",
            "\(key): \(reference.english) is not an http(s) URL")
    }

    /// An error's line in both languages: its own wording, a transfer's, or its text as it is.
    public static func of(_ error: any Error) -> Wording {
        if let actionable = error as? any ActionableError { return actionable.wording }
        if let transfer = error as? TransferError { return .transfer(transfer) }
        if let parse = error as? FeedParseError { return .feedParse(parse) }
        return .untranslated(String(describing: error))
    }

    /// Both lines on one line, without control characters.
    var cleaned: Wording { Wording(DigestText.clean(french), DigestText.clean(english)) }
}
