import Testing
@testable import RedshiftReplicator

@Suite("Identity jumps")
struct IdentityJumpTests {
    @Test func aJumpFarAboveTheUsualGrowthIsFound() throws {
        let jump = try #require(IdentityJump.detect(upper: "1000000000400", previousUppers: ["400", "300", "200", "100"]))
        #expect(jump == IdentityJump(previousUpper: 400, upper: 1_000_000_000_400, usualGrowth: 100))
        #expect(jump.message.contains("from 400 to 1000000000400") && jump.message.contains("rrr reset"))
    }

    @Test func usualGrowthBurstsAndShortHistoriesAreNotJumps() {
        // Growth within the factor of the largest recent one.
        #expect(IdentityJump.detect(upper: "5000400", previousUppers: ["400000", "300000", "200000", "100000"]) == nil)
        // Under the floor, however large the factor.
        #expect(IdentityJump.detect(upper: "90400", previousUppers: ["400", "399", "398", "397"]) == nil)
        // Too few imports to know the usual growth.
        #expect(IdentityJump.detect(upper: "1000000000400", previousUppers: ["400", "300", "200"]) == nil)
        // Ids that are not integers say nothing.
        #expect(IdentityJump.detect(upper: "abc", previousUppers: ["400", "300", "200", "100"]) == nil)
        // Just past both limits.
        #expect(IdentityJump.detect(upper: "\(400 + 100_001)", previousUppers: ["400", "399", "398", "397"]) != nil)
    }
}
