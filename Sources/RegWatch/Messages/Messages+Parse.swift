import FeedParser

// A document that could not be read as a feed, in both languages. The parser's reasons are
// values (`FeedParseError.Reason`, whose English FeedParser words); libxml2's own words, for a
// malformed document, stay as libxml2 gives them.

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
    private static func frenchReason(_ reason: FeedParseError.Reason) -> String {
        switch reason {
        case .emptyDocument: return "le document est vide"
        case .noXMLOrJSON: return "ni XML ni JSON"
        case .rootElement(let name): return "l'élément racine est <\(name)>"
        case .noRootElement, .noXMLRootElement: return "aucun élément racine"
        case .libxml2(let message): return message
        case .invalidJSON: return "JSON invalide"
        case .jsonWithoutObject: return "JSON sans objet au premier niveau"
        case .notJSONFeed: return "JSON qui n'est pas un JSON Feed (pas de version jsonfeed.org)"
        case .emptyPage: return "la page est vide"
        case .addressIsAFeed:
            return "cette adresse est un flux, pas une page : la lister avec kind = \"feed\" (par défaut)"
        case .noHTML: return "aucun HTML lisible dans la page"
        case .invalidXPath(let key, let expression):
            return "\(key): \(expression) n'est pas une expression XPath 1.0 valide"
        case .noXPathContext: return "libxml2 n'a pas pu créer de contexte XPath (mémoire épuisée ?)"
        }
    }
}
