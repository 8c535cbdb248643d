import FeedParser

// A document that could not be read as a feed, in both languages. The parser's reasons are
// known sentences (worded in FeedParser, in English); libxml2's own words, for a malformed
// document, stay as libxml2 gives them.

extension Wording {
    /// `not an RSS, Atom, RDF or JSON feed: an HTML page`, in both languages.
    public static func feedParse(_ error: FeedParseError) -> Wording {
        let french: String
        switch error.detail {
        case .notAFeed(let reason): french = "pas un flux RSS, Atom, RDF ou JSON : " + frenchReason(reason)
        case .htmlPage: french = "pas un flux RSS, Atom, RDF ou JSON : une page HTML"
        case .tooLarge(let size, let limit):
            french = "document trop grand : \(size) octets, la limite est \(limit) octets"
        case .malformed(let reason): french = "flux mal formé : " + frenchReason(reason)
        case .notOPML(let reason): french = "pas un document OPML : " + frenchReason(reason)
        case .page(let reason): french = frenchReason(reason)
        }
        return Wording(french, error.description)
    }

    /// The parser's reasons in French; libxml2's messages (a malformed document) as they are.
    private static func frenchReason(_ reason: String) -> String {
        if let root = reason.wholeMatch(of: /the root element is <(.+)>/)?.1 { return "l'élément racine est <\(root)>" }
        if let match = reason.wholeMatch(of: /(.+) is not a valid XPath 1\.0 expression/) {
            return "\(match.1) n'est pas une expression XPath 1.0 valide"
        }
        switch reason {
        case "the document is empty": return "le document est vide"
        case "no XML or JSON document": return "ni XML ni JSON"
        case "no root element", "no XML root element": return "aucun élément racine"
        case "invalid JSON": return "JSON invalide"
        case "JSON without an object at the top": return "JSON sans objet au premier niveau"
        case "JSON that is not a JSON Feed (no jsonfeed.org version)":
            return "JSON qui n'est pas un JSON Feed (pas de version jsonfeed.org)"
        case "the page is empty": return "la page est vide"
        case "this address is a feed, not a page: list it with kind = \"feed\" (the default)":
            return "cette adresse est un flux, pas une page : la lister avec kind = \"feed\" (par défaut)"
        case "no HTML could be read from the page": return "aucun HTML lisible dans la page"
        case "libxml2 could not make an XPath context (out of memory?)":
            return "libxml2 n'a pas pu créer de contexte XPath (mémoire épuisée ?)"
        default: return reason
        }
    }
}
