import Testing
@testable import RedshiftReplicator

@Suite("VACUUM / ANALYZE SQL and mode selection")
struct MaintenanceSQLTests {
    @Test(arguments: [
        ([0, 0, 0], SortKeyKind.none, VacuumMode.deleteOnly),
        ([1, 2, 0], .compound, .full),
        ([0, -1, -2], .interleaved, .reindex),
        ([], .none, .deleteOnly),
    ])
    func autoPicksBySortKeyKind(positions: [Int], kind: SortKeyKind, mode: VacuumMode) {
        #expect(SortKeyKind(sortKeyPositions: positions) == kind)
        #expect(kind.automaticMode == mode)
    }

    @Test func vacuumStatementQuotesAndAddsOptions() {
        let sql = MaintenanceSQL(schema: "Sales \"EU\"")
        #expect(sql.vacuum("orders", mode: .sortOnly, toPercent: 75, boost: true) == #"VACUUM SORT ONLY "Sales ""EU"""."orders" TO 75 PERCENT BOOST"#)
        #expect(sql.vacuum("o", mode: .deleteOnly, toPercent: nil, boost: false) == #"VACUUM DELETE ONLY "Sales ""EU"""."o""#)
        #expect(sql.vacuum("o", mode: .recluster, toPercent: nil, boost: false).hasPrefix("VACUUM RECLUSTER "))
        #expect(sql.analyze("o", predicateColumns: true) == #"ANALYZE "Sales ""EU"""."o" PREDICATE COLUMNS"#)
        #expect(sql.setSearchPath == #"SET search_path TO "Sales ""EU""""#)
    }

    @Test func everyModeButAutoHasAKeyword() {
        #expect(VacuumMode.auto.keyword == nil)
        #expect(VacuumMode.allCases.filter { $0 != .auto }.allSatisfy { $0.keyword != nil })
        #expect(VacuumMode(rawValue: "delete-only") == .deleteOnly)
    }
}
