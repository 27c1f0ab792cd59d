print("rrr: the replication engine is being built (issue 4).")
