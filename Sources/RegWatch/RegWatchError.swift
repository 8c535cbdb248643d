/// Whose fault a failure is, which decides the exit status of `watchctl`.
public enum FailureKind: Sendable, Equatable {
    /// The input was wrong: a bad argument, a config error, a file that is not a feed. Exit 2.
    case badInput
    /// The input was fine but the run failed: network, disk, database. Exit 1.
    case runtime
}

/// An application error a person can act on: one line that says what failed, where,
/// and what to do, plus whether the input or the run is at fault.
public protocol ActionableError: Error, CustomStringConvertible, Sendable {
    /// Whether the input or the run is at fault.
    var kind: FailureKind { get }
    /// The line in both languages, from the message catalogue (`RegWatch/Messages/`);
    /// `description` is its English. Required, so an error without its French does not compile.
    var wording: Wording { get }
}
