import Foundation

// The errors of the files regwatch edits or writes (feeds.toml, the starter config, digests,
// the state lock), of the daemon's systemd notification, of discovery, pages, follow-up states
// and the audit's dates, in both languages. A `reason` from the system stays as it gives it.

extension FeedsFileError {
    /// `feeds.toml:12: URL is already listed (…)` and the like, in both languages.
    public var wording: Wording {
        let place = line.map { "\(file):\($0)" } ?? file
        switch reason {
        case .duplicate(let url):
            return Wording(
                "\(place) : \(url) figure déjà (les URL sont comparées sans barre finale ni casse du schéma et de l'hôte)",
                "\(place): \(url) is already listed (URLs are compared without trailing slash and case of scheme/host)")
        case .notFound(let url):
            return Wording(
                "\(place) : aucune table [[feeds]] n'a l'url \(url) (voir `watchctl list-feeds`)",
                "\(place): no [[feeds]] table has url \(url) (see `watchctl list-feeds`)")
        case .unreadable(let why):
            return Wording("\(place) : lecture impossible : \(why)", "\(place): cannot read: \(why)")
        case .unwritable(let why):
            return Wording(
                "\(place) : écriture impossible : \(why) (vérifier les droits du dossier)",
                "\(place): cannot write: \(why) (check the folder's permissions)")
        }
    }
}

extension StarterConfigurationError {
    /// The file, what went wrong, what to do, in both languages.
    public var wording: Wording {
        switch problem {
        case .exists:
            return Wording(
                "\(file.path) existe déjà : rien n'est écrit (le vérifier avec `watchctl check-config`, "
                    + "ou passer --force pour le remplacer par celui livré)",
                "\(file.path) already exists: nothing written (check it with `watchctl check-config`, "
                    + "or pass --force to replace it with the shipped one)")
        case .notAFolder:
            let folder = file.deletingLastPathComponent().path
            return Wording(
                "\(folder) est un fichier, pas un dossier : rien n'est écrit "
                    + "(donner le dossier où écrire \(StarterConfiguration.fileName))",
                "\(folder) is a file, not a folder: nothing written "
                    + "(give the folder to write \(StarterConfiguration.fileName) into)")
        case .cannotWrite(let reason):
            return Wording(
                "\(file.path) : écriture impossible (\(reason)) ; choisir un dossier où l'on peut écrire",
                "\(file.path): cannot write it (\(reason)); choose a folder you can write to")
        }
    }
}

extension StateLockError {
    /// Who holds what, and what to do, in both languages.
    public var wording: Wording {
        switch problem {
        case .held(let pid?):
            Wording(
                "un autre démon regwatch (pid \(pid)) tient \(path.path) — l'arrêter d'abord (systemctl stop regwatch, ou kill \(pid))",
                "another regwatch daemon (pid \(pid)) holds \(path.path) — stop it first (systemctl stop regwatch, or kill \(pid))"
            )
        case .held(nil):
            Wording(
                "un autre démon regwatch tient \(path.path) — l'arrêter d'abord (systemctl stop regwatch)",
                "another regwatch daemon holds \(path.path) — stop it first (systemctl stop regwatch)")
        case .unusable(let reason):
            Wording(
                "impossible de verrouiller \(path.path) : \(reason) — vérifier que le dossier d'état existe et est modifiable",
                "cannot lock \(path.path): \(reason) — check that the state folder exists and is writable")
        }
    }
}

extension NotifyError {
    /// Where, what, and what to check, in both languages.
    public var wording: Wording {
        Wording(
            "impossible de prévenir systemd à NOTIFY_SOCKET=\(address) : \(reason) — vérifier NotifyAccess= de l'unité "
                + "et que systemd tourne",
            "cannot notify systemd at NOTIFY_SOCKET=\(address): \(reason) — check the unit's NotifyAccess= "
                + "and that systemd is running")
    }
}

extension DigestFileError {
    /// The file, the reason, what to check, in both languages.
    public var wording: Wording {
        Wording(
            "impossible d'écrire le digest \(path) : \(reason) ; vérifier que [digest] output_dir (ou --output) "
                + "est un dossier modifiable",
            "cannot write digest \(path): \(reason); check that [digest] output_dir (or --output) is a writable folder")
    }
}

extension DiscoveryError {
    /// The URL, why no feed came of it, what to give instead, in both languages.
    public var wording: Wording {
        Wording(
            "\(url.absoluteString) : \(reason.french) ; donner l'adresse d'un flux RSS, Atom ou JSON"
                + (pageIsHTML
                    ? ", ou lire la page elle-même avec --kind page (une liste d'actualités) ou --kind change (un texte)"
                    : ""),
            "\(url.absoluteString): \(reason.english); give the address of an RSS, Atom or JSON feed"
                + (pageIsHTML
                    ? ", or read the page itself with --kind page (a list of news) or --kind change (a text)" : ""))
    }
}

extension FollowStateError {
    /// The rejected value and the accepted ones, in both languages.
    public var wording: Wording {
        let french = FollowState.allCases.map(\.label).joined(separator: ", ")
        let english = FollowState.allCases.map(\.rawValue).joined(separator: ", ")
        return Wording(
            "--state : « \(text) » n'est pas un état de suivi ; en donner un parmi \(french) "
                + "(accents facultatifs, tirets ou espaces : a-exploiter) ou \(english)",
            "--state: \"\(text)\" is not a follow-up state; use one of \(french) "
                + "(accents optional, hyphens or spaces: a-exploiter) or \(english)")
    }
}

extension Wording {
    static func noFeedAnnounced(tried paths: [String]) -> Wording {
        let list = paths.joined(separator: ", ")
        return Wording(
            "la page n'annonce aucun flux (pas de <link rel=\"alternate\">) et aucun de \(list) n'est un flux",
            "the page announces no feed (no <link rel=\"alternate\">) and none of \(list) is a feed")
    }
    static func noAnnouncedFeedReadable(_ count: Int) -> Wording {
        Wording(
            "aucun des \(count) flux annoncés par la page n'a pu être lu",
            "none of the \(count) feed(s) the page announces could be read")
    }
    static func matchedNothing(_ key: String, _ expression: String) -> Wording {
        Wording(
            "\(key) = \"\(expression)\" ne trouve rien sur la page",
            "\(key) = \"\(expression)\" matched nothing on the page")
    }
    static let noHeadlineLinks = Wording(
        "aucun bloc répété de liens de titres trouvé (donner --items XPATH, ou --kind change pour surveiller le texte de la page)",
        "no repeated block of headline links found (give --items XPATH, or --kind change to watch the page's text)")
    static func notADay(_ option: String, _ text: String) -> Wording {
        Wording(
            "\(option) : « \(text) » n'est pas une date ; écrire AAAA-MM-JJ, p. ex. 2025-12-01",
            "\(option): \"\(text)\" is not a date; write YYYY-MM-DD, e.g. 2025-12-01")
    }
    static func fromAfterTo(_ from: String, _ to: String) -> Wording {
        Wording(
            "--from \(from) est après --to \(to) : donner d'abord la date la plus ancienne",
            "--from \(from) is after --to \(to): give the earlier date first")
    }
}
