import AWSAuth
import AWSStandIns
import Foundation
import Testing

extension Trait where Self == ConditionTrait {
    /// Runs when the stack's moto is configured, or always under CI (where it then fails loudly).
    static var requiresMoto: Self {
        .enabled(if: MotoServer.current != nil || MotoServer.isCI, "moto not configured (scripts/stack up; source its env file)")
    }
}

/// Every textual form of an error, for checks that no secret leaks.
func allText(_ error: any Error) -> String {
    var dumped = ""
    dump(error, to: &dumped)
    return "\(error) \(String(reflecting: error)) \(dumped)"
}
