// The common input errors (an unknown topic, a malformed week) in both languages.

extension TopicLookupError {
    /// `« qualiopy » : thème inconnu (valides : …)` / `"qualiopy": unknown topic (valid: …)`.
    public var wording: Wording {
        // "ia (IA)" but not "qualiopi (qualiopi)": a label is shown when it says more than the id.
        let list = valid.map { $0.label == $0.id.rawValue ? $0.id.rawValue : "\($0.id) (\($0.label))" }
            .joined(separator: ", ")
        let prefix = place.map { "\($0) " } ?? ""
        if !ambiguous.isEmpty {
            let names = ambiguous.map(\.rawValue).joined(separator: ", ")
            return Wording(
                "\(prefix)« \(text) » : libellé de plusieurs thèmes (\(names)) ; donner l'identifiant (valides : \(list))",
                "\(prefix)\"\(text)\": the label of several topics (\(names)); give the id (valid: \(list))")
        }
        return Wording(
            "\(prefix)« \(text) » : thème inconnu (valides : \(list) ; identifiants ou libellés, casse et accents libres)",
            "\(prefix)\"\(text)\": unknown topic (valid: \(list); ids or labels, case and accents optional)")
    }
}

extension ISOWeekError {
    /// `semaine « 2025-W60 » : pas une semaine ISO…` / the English `description`.
    public var wording: Wording {
        Wording(
            "semaine « \(text) » : pas une semaine ISO de la forme AAAA-Www (W01 à W52, ou W53 certaines années), "
                + "p. ex. 2025-W49",
            description)
    }
}
