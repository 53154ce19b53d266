"""What each view not built yet will do, shown in the rail (disabled) and as a tooltip."""

PLANNED_VIEWS = [
    ("register", "Register",
     "Every asset in one table: search by tag, serial, description, person or room; filter, "
     "sort, edit, move and export."),
    ("depreciation", "Depreciation",
     "Schedules by GASB class and function, the roll-forward, fiscal-year close and journal entries."),
    ("roommap", "Room maps",
     "Floor plans with rooms coloured by what they hold; print room inventory sheets."),
    ("inventory", "Inventory",
     "Physical-inventory campaigns: scan rooms, reconcile verified, misplaced, missing and unknown."),
    ("compliance", "Compliance",
     "Funding-source rules: federal equipment records, E-Rate and ECF, disposition paybacks."),
    ("reports", "Reports",
     "Audit packets, room inventory sheets and asset labels as PDF and Excel."),
]
