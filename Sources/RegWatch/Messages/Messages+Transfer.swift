import Foundation
import Transfer

// The transfer's failures in both languages. `TransferError` (module Transfer) words its English
// itself, for logs and the stored fetch log; the French is worded here from its `detail`.
// libcurl's own words (`curlMessage`) are English and stay out of the French line.

extension Wording {
    /// `https://x/feed: HTTP 404 Not Found — check the feed URL`, in both languages.
    public static func transfer(_ error: TransferError) -> Wording {
        let french = transferProblem(error)
        return Wording("\(error.url.absoluteString) : \(french.french)", error.description)
    }

    /// What failed and what to do, without the URL (the caller names the server or target).
    public static func transferProblem(_ error: TransferError) -> Wording {
        Wording(
            "\(frenchProblem(error)) — \(frenchAdvice(error))", "\(error.problem) — \(error.advice)")
    }

    private static func frenchProblem(_ error: TransferError) -> String {
        let format = TransferError.format(_:)
        switch error.detail {
        case .dns(let host): return "hôte \(host) introuvable (DNS)"
        case .connect(let host): return "connexion impossible à \(host)"
        case .connectTimeout(let limit): return "aucune connexion en \(format(limit))"
        case .tls: return "échec de la poignée de main TLS ou de la vérification du certificat"
        case .timeout(let limit): return "délai dépassé après \(format(limit)) ([fetch] timeout)"
        case .tooSlow(let rate, let during): return "trop lent : moins de \(rate) octets/s pendant \(format(during))"
        case .tooLarge(let limit):
            return "contenu de plus de \(TransferError.format(bytes: limit)) (max_bytes)"
                .replacingOccurrences(of: " bytes", with: " octets")
        case .http(let status): return "HTTP \(status)"
        case .redirectRefused(let location):
            return "redirection vers \(location) refusée : seuls http et https sont suivis"
        case .tooManyRedirects(let limit): return "plus de \(limit) redirections (une boucle ?)"
        case .privateAddress(let address): return "connexion refusée à l'adresse privée \(address)"
        case .unsupportedScheme(let scheme): return "schéma « \(scheme) » non pris en charge"
        case .interrupted: return "connexion coupée en cours de transfert"
        case .badEncoding: return "contenu compressé illisible"
        case .authentication: return "connexion SMTP refusée (identifiants)"
        case .mailRefused(let reply): return "le serveur SMTP refuse le message (réponse \(reply))"
        case .invalidAddress(let address):
            return address.isEmpty ? "aucun destinataire" : "l'adresse « \(address) » n'est pas une adresse simple"
        case .cancelled: return "transfert annulé"
        case .other: return "échec du transfert"
        }
    }

    private static func frenchAdvice(_ error: TransferError) -> String {
        switch error.detail {
        case .dns: return "vérifier le nom d'hôte de l'URL (ou le DNS de la machine)"
        case .connect, .connectTimeout: return "serveur arrêté ou injoignable ; nouvel essai avec délai croissant"
        case .tls:
            return "le certificat du site n'est pas reconnu ; à corriger côté serveur (la vérification reste active)"
        case .timeout: return "serveur trop lent ; augmenter [fetch] timeout ou réessayer plus tard"
        case .tooSlow: return "le serveur envoie au compte-gouttes ; nouvel essai avec délai croissant"
        case .tooLarge: return "augmenter [fetch] max_bytes ou retirer ce flux"
        case .http(let status):
            switch status {
            case 410: return "la source a disparu pour de bon ; le flux est désactivé"
            case 429, 503:
                if let retryAfter = error.retryAfter { return "réessayer dans \(TransferError.format(retryAfter))" }
                return "serveur surchargé ; nouvel essai avec délai croissant"
            case 401, 403: return "le serveur refuse l'accès ; vérifier l'URL ou demander à l'éditeur"
            case 408: return "nouvel essai à la prochaine lecture"
            case 300..<400: return "redirection non suivie ; vérifier l'URL du flux"
            case 400..<500: return "vérifier l'URL du flux"
            default: return "erreur du serveur ; nouvel essai avec délai croissant"
            }
        case .redirectRefused, .tooManyRedirects: return "vérifier l'URL du flux dans un navigateur"
        case .privateAddress: return "mettre [fetch] allow_private_networks = true pour l'autoriser"
        case .unsupportedScheme: return "donner une URL http ou https (smtp ou smtps pour le courriel)"
        case .interrupted: return "nouvel essai à la prochaine lecture"
        case .badEncoding: return "le serveur envoie un contenu compressé abîmé ; nouvel essai avec délai croissant"
        case .authentication: return "vérifier l'utilisateur de [email] smtp_url et $REGWATCH_SMTP_PASSWORD"
        case .mailRefused: return "vérifier [email] from et to, et le journal du serveur"
        case .invalidAddress: return "corriger [email] from et to dans feeds.toml"
        case .cancelled: return "rien à faire"
        case .other: return "nouvel essai avec délai croissant"
        }
    }
}
