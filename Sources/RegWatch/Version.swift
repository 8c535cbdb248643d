/// The release of regwatch, shown by `watchctl --version` and sent in the User-Agent.
public enum RegWatchVersion {
    /// The version string, such as `0.1.0`.
    public static let current = "0.1.0"
    /// Where a site operator who sees our User-Agent in their logs can learn what we are.
    public static let projectURL = "https://github.com/regwatch/regwatch"
    /// `regwatch/VERSION (+URL)`, the User-Agent every request carries.
    public static let userAgent = "regwatch/\(current) (+\(projectURL))"
}
