print("redshift-emulator: being built (issue 3).")
