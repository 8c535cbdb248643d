extension FailureReason {
    /// The reason in `language`, worded as the digest's blind spots word it
    /// ("page introuvable (404)" / "page not found (404)"), for a person's one-line summary.
    public func label(_ language: DigestSettings.Language) -> String {
        DigestStrings.for(language).failure(self)
    }
}
