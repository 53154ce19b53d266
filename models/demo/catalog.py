"""The fixed ingredients of the demo district: classes, codes, models, funding, names.

Figures are typical of a mid-size US district: a $5,000 capitalization
threshold, lives from the state's fixed-asset guidelines, 2024-25 prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.schema import (
    DepreciationConvention as Conv,
    DepreciationMethod as Method,
    FundingProgram as Program,
    GasbClass as G,
    RoomType,
    SiteKind,
)

FUNDS = [
    ("100", "General Fund"),
    ("220", "Special Revenue - Federal Programs"),
    ("240", "Special Revenue - Food Service"),
    ("300", "Capital Projects Fund"),
    ("410", "Debt Service Fund"),
]

FUNCTIONS = [
    ("1000", "Instruction"),
    ("2100", "Student Support Services"),
    ("2200", "Instructional Staff Support"),
    ("2300", "General Administration"),
    ("2400", "School Administration"),
    ("2500", "Central Business Services"),
    ("2600", "Operation and Maintenance of Plant"),
    ("2700", "Student Transportation"),
    ("2800", "Central Support Services"),
    ("3100", "Food Services Operations"),
    ("3300", "Community Services"),
    ("4000", "Facilities Acquisition and Construction"),
]

OBJECTS = [
    ("710", "Land and Land Improvements"),
    ("720", "Buildings"),
    ("731", "Machinery"),
    ("732", "Vehicles"),
    ("733", "Furniture and Fixtures"),
    ("734", "Technology-Related Hardware"),
    ("739", "Other Equipment"),
    ("450", "Construction Services"),
]

DEPARTMENTS = [
    ("TECH", "Technology Services"),
    ("FAC", "Facilities and Maintenance"),
    ("TRANS", "Transportation"),
    ("FOOD", "Food and Nutrition Services"),
    ("SPED", "Special Education"),
    ("CI", "Curriculum and Instruction"),
    ("BUS", "Business Office"),
    ("ATH", "Athletics"),
]


@dataclass(frozen=True)
class ClassSpec:
    code: str
    name: str
    gasb: G
    life_months: int
    method: Method
    convention: Conv
    threshold_cents: int
    object_code: str


CLASSES = [
    ClassSpec("LAND", "Land", G.LAND, 0, Method.STRAIGHT_LINE, Conv.FULL_MONTH, 0, "710"),
    ClassSpec("CIP", "Construction in progress", G.CONSTRUCTION_IN_PROGRESS, 0,
              Method.STRAIGHT_LINE, Conv.FULL_MONTH, 0, "450"),
    ClassSpec("LI", "Land improvements", G.LAND_IMPROVEMENTS, 240, Method.STRAIGHT_LINE,
              Conv.FULL_MONTH, 2500000, "710"),
    ClassSpec("BLDG", "Buildings", G.BUILDINGS, 600, Method.STRAIGHT_LINE, Conv.FULL_MONTH,
              2500000, "720"),
    ClassSpec("BI", "Building improvements", G.BUILDING_IMPROVEMENTS, 240, Method.STRAIGHT_LINE,
              Conv.FULL_MONTH, 2500000, "720"),
    ClassSpec("FE", "Furniture and equipment", G.FURNITURE_EQUIPMENT, 120, Method.STRAIGHT_LINE,
              Conv.FULL_MONTH, 500000, "733"),
    ClassSpec("VEH", "Vehicles", G.VEHICLES, 120, Method.STRAIGHT_LINE, Conv.FULL_MONTH,
              500000, "732"),
    ClassSpec("TECH", "Technology equipment", G.TECHNOLOGY, 60, Method.STRAIGHT_LINE,
              Conv.FULL_MONTH, 500000, "734"),
]


@dataclass(frozen=True)
class FundingSpec:
    code: str
    name: str
    program: Program
    federal: bool
    grantor: str | None
    award: str | None
    frn: str | None
    start: date | None
    end: date | None
    fund: str


FUNDING = [
    FundingSpec("GF", "General Fund", Program.GENERAL_FUND, False, None, None, None, None, None, "100"),
    FundingSpec("ESSER2", "ESSER II (CRRSA)", Program.ESSER, True, "U.S. Department of Education",
                "S425D210012", None, date(2020, 3, 13), date(2023, 9, 30), "220"),
    FundingSpec("ESSER3", "ARP ESSER III", Program.ESSER, True, "U.S. Department of Education",
                "S425U210012", None, date(2020, 3, 13), date(2024, 9, 30), "220"),
    FundingSpec("CARES", "CARES Act ESSER I", Program.CARES, True, "U.S. Department of Education",
                "S425D200012", None, date(2020, 3, 13), date(2022, 9, 30), "220"),
    FundingSpec("ERATE24", "E-Rate FY2024 Category Two", Program.E_RATE, True,
                "Universal Service Administrative Company", None, "2499012345",
                date(2024, 7, 1), date(2025, 9, 30), "100"),
    FundingSpec("ECF1", "Emergency Connectivity Fund, window 1", Program.ECF, True,
                "Federal Communications Commission", None, "ECF2190012345",
                date(2021, 7, 1), date(2022, 6, 30), "220"),
    FundingSpec("IDEAB", "IDEA Part B, Section 611", Program.IDEA_B, True,
                "U.S. Department of Education", "H027A230012", None,
                date(2023, 7, 1), date(2025, 9, 30), "220"),
    FundingSpec("TITLE1", "Title I, Part A", Program.TITLE_I, True, "U.S. Department of Education",
                "S010A230012", None, date(2023, 7, 1), date(2025, 9, 30), "220"),
    FundingSpec("BOND19", "2019 Facilities Bond", Program.BOND, False, None, None, None,
                date(2019, 11, 5), None, "300"),
]


@dataclass(frozen=True)
class ModelSpec:
    """One kind of item the district buys, with what goes with it."""

    manufacturer: str
    name: str
    device_type: str
    class_code: str
    price_cents: int
    weight: float  # share among movable assets
    first_year: int
    last_year: int
    function: str
    department: str
    rooms: str  # which room pool it lives in
    vendor: str
    serial_prefix: str
    funding: tuple[tuple[tuple[str, int], ...], ...]  # patterns of (source code, basis points)
    loanable: str | None = None  # "student" / "staff": usually assigned to a person


TECH_FUNDING = ((("ESSER3", 10000),), (("GF", 10000),), (("ECF1", 10000),), (("TITLE1", 10000),))

MODELS = [
    ModelSpec("Acer", "Chromebook Spin 511", "Chromebook", "TECH", 32900, 24, 2021, 2025, "1000",
              "TECH", "classroom", "CDW-G", "NXA", TECH_FUNDING, "student"),
    ModelSpec("Dell", "Chromebook 3110", "Chromebook", "TECH", 29900, 20, 2022, 2025, "1000",
              "TECH", "classroom", "Dell Technologies", "CN0", TECH_FUNDING, "student"),
    ModelSpec("Lenovo", "100e Chromebook Gen 4", "Chromebook", "TECH", 27900, 12, 2023, 2025, "1000",
              "TECH", "classroom", "CDW-G", "PF4", TECH_FUNDING, "student"),
    ModelSpec("Apple", "iPad (10th generation) 64GB", "Tablet", "TECH", 32900, 6, 2022, 2025, "1000",
              "SPED", "classroom", "Apple Education", "DMP", ((("IDEAB", 10000),), (("GF", 10000),)),
              "student"),
    ModelSpec("Dell", "Latitude 3540", "Laptop", "TECH", 89900, 5, 2021, 2025, "2200", "TECH",
              "office", "Dell Technologies", "7XK", ((("GF", 10000),), (("TITLE1", 10000),)), "staff"),
    ModelSpec("Apple", "MacBook Air 13-inch M3", "Laptop", "TECH", 109900, 1.5, 2024, 2025, "2200",
              "TECH", "office", "Apple Education", "C02", ((("GF", 10000),),), "staff"),
    ModelSpec("Dell", "OptiPlex 7010 Micro", "Desktop", "TECH", 94900, 4, 2020, 2025, "2400", "TECH",
              "office", "Dell Technologies", "JH2", ((("GF", 10000),),)),
    ModelSpec("Epson", "PowerLite 1288 Projector", "Projector", "TECH", 74900, 3, 2018, 2023, "1000",
              "TECH", "classroom", "CDW-G", "X4Z", ((("GF", 10000),),)),
    ModelSpec("Promethean", "ActivPanel 9 Premium 75in", "Interactive panel", "TECH", 548900, 3,
              2021, 2025, "1000", "TECH", "classroom", "Promethean", "AP9",
              ((("ESSER3", 10000),), (("ESSER3", 7000), ("GF", 3000)), (("TITLE1", 10000),))),
    ModelSpec("ViewSonic", "ViewBoard IFP8652 86in", "Interactive panel", "TECH", 612500, 1, 2022,
              2025, "1000", "TECH", "classroom", "SHI International", "VSB",
              ((("ESSER2", 10000),), (("GF", 10000),))),
    ModelSpec("IPEVO", "VZ-X Document Camera", "Document camera", "TECH", 18900, 4, 2020, 2025,
              "1000", "TECH", "classroom", "CDW-G", "IPV", ((("CARES", 10000),), (("GF", 10000),))),
    ModelSpec("Cisco", "Catalyst 9300 48-port switch", "Network switch", "TECH", 842000, 0.4, 2019,
              2025, "2800", "TECH", "server", "Cisco via SHI", "FOC",
              ((("ERATE24", 8000), ("GF", 2000)), (("GF", 10000),))),
    ModelSpec("Cisco Meraki", "MR46 access point", "Wireless access point", "TECH", 104900, 1.5,
              2019, 2025, "2800", "TECH", "classroom", "Cisco via SHI", "Q3A",
              ((("ERATE24", 8000), ("GF", 2000)),)),
    ModelSpec("Dell", "PowerEdge R750 server", "Server", "TECH", 1245000, 0.05, 2020, 2024, "2800",
              "TECH", "server", "Dell Technologies", "SVR", ((("GF", 10000),),)),
    ModelSpec("Virco", "ZUMA student desk", "Student desk", "FE", 16900, 8, 2012, 2025, "1000", "FAC",
              "classroom", "School Specialty", "", ((("GF", 10000),),)),
    ModelSpec("Virco", "Teacher's desk, double pedestal", "Teacher desk", "FE", 68900, 1.5, 2010,
              2025, "1000", "FAC", "classroom", "School Specialty", "", ((("GF", 10000),),)),
    ModelSpec("HON", "Brigade 4-drawer file cabinet", "File cabinet", "FE", 42900, 1.5, 2008, 2025,
              "2400", "FAC", "office", "Office Depot", "", ((("GF", 10000),),)),
    ModelSpec("Steinway", "Boston UP-126 upright piano", "Piano", "FE", 1450000, 0.03, 2005, 2022,
              "1000", "CI", "classroom", "Steinway Piano Gallery", "BOS", ((("GF", 10000),),)),
    ModelSpec("Rational", "iCombi Pro 10-full-size combi oven", "Kitchen equipment", "FE", 1890000,
              0.06, 2012, 2024, "3100", "FOOD", "kitchen", "Edward Don & Company", "RAT",
              ((("GF", 10000),),)),
    ModelSpec("Kolpak", "Walk-in freezer 8x10", "Kitchen equipment", "FE", 2450000, 0.03, 2008,
              2023, "3100", "FOOD", "kitchen", "Edward Don & Company", "KPK", ((("GF", 10000),),)),
    ModelSpec("Toro", "Groundsmaster 3500-D mower", "Grounds equipment", "FE", 3290000, 0.03, 2012,
              2024, "2600", "FAC", "garage", "Toro Commercial", "TOR", ((("GF", 10000),),)),
    ModelSpec("Trane", "Voyager 25-ton rooftop unit", "HVAC unit", "BI", 7850000, 0.08, 2005, 2024,
              "2600", "FAC", "mechanical", "Trane Technologies", "TRN",
              ((("ESSER3", 10000),), (("BOND19", 10000),))),
    ModelSpec("Blue Bird", "Vision 77-passenger school bus", "School bus", "VEH", 14250000, 0.1,
              2008, 2025, "2700", "TRANS", "garage", "Blue Bird Corporation", "1BA",
              ((("GF", 10000),), (("BOND19", 10000),))),
    ModelSpec("Ford", "F-250 maintenance truck", "Truck", "VEH", 5290000, 0.04, 2010, 2025, "2600",
              "FAC", "garage", "Ford Fleet", "1FT", ((("GF", 10000),),)),
]

# Structures are made per site and building, not drawn at random.
STRUCTURE_MODELS = {
    "land": ("Land", "LAND", "4000"),
    "building": ("Building", "BLDG", "2600"),
    "field": ("Athletic field and track", "LI", "2600"),
    "parking": ("Parking lot", "LI", "2600"),
    "roof": ("Roof replacement", "BI", "2600"),
    "wing": ("Classroom wing addition, in construction", "CIP", "4000"),
}

SITE_NAMESAKES = [
    "Lincoln", "Washington", "Jefferson", "Roosevelt", "Kennedy", "Franklin", "Madison",
    "Adams", "Jackson", "Hamilton", "Monroe", "Garfield", "Grant", "McKinley", "Wilson",
    "Hoover", "Truman", "Eisenhower", "Cesar Chavez", "Sojourner Truth", "Harriet Tubman",
    "Rosa Parks", "Amelia Earhart", "Sally Ride", "Maya Angelou", "Jackie Robinson",
    "Sequoia", "Redwood", "Cedar Ridge", "Pine Valley", "Oak Grove", "Willow Creek",
    "Maple Heights", "Lakeview", "Riverside", "Hillcrest", "Meadowbrook", "Sunset",
    "Parkside", "Northgate", "Eastwood", "Westfield", "Southridge", "Fairview",
]

SITE_KIND_WORDS = {
    SiteKind.ELEMENTARY: ("Elementary School", "ES"),
    SiteKind.MIDDLE: ("Middle School", "MS"),
    SiteKind.HIGH: ("High School", "HS"),
}

FIRST_NAMES = [
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Isabella",
    "Mateo", "Mia", "Lucas", "Ava", "Levi", "Evelyn", "Ezra", "Harper", "Asher", "Luna",
    "James", "Camila", "Leo", "Gianna", "Luca", "Elizabeth", "Henry", "Eleanor", "Hudson",
    "Ella", "Ethan", "Abigail", "Muhammad", "Sofia", "Maverick", "Avery", "Benjamin",
    "Scarlett", "Theo", "Emily", "Kai", "Aria", "Sebastian", "Penelope", "Daniel", "Chloe",
    "Jack", "Layla", "Michael", "Mila", "Alexander", "Nora", "Owen", "Hazel", "Aiden",
    "Madison", "Samuel", "Ellie", "Wyatt", "Lily", "Jayden", "Nova", "Santiago", "Isla",
    "Jose", "Grace", "Carter", "Violet", "Gabriel", "Aurora", "Jackson", "Riley", "Julian",
    "Zoey", "Isaiah", "Willow", "Grayson", "Emilia", "Joseph", "Stella", "Ximena", "Miguel",
    "Priya", "Wei", "Aaliyah", "Tran", "Fatima", "Dmitri", "Keanu", "Yuki", "Amara", "Diego",
]

LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Okafor", "Haddad", "Novak", "Kowalski", "Yamamoto", "Singh", "O'Brien", "Abernathy",
]

# Rooms per floor by site kind, and how a floor's rooms are typed (pool name, share).
ROOM_MIX = {
    "school": [(RoomType.CLASSROOM, 0.70), (RoomType.LAB, 0.06), (RoomType.OFFICE, 0.08),
               (RoomType.STORAGE, 0.06), (RoomType.LIBRARY, 0.02), (RoomType.MECHANICAL, 0.03),
               (RoomType.SERVER, 0.02), (RoomType.GYM, 0.01), (RoomType.KITCHEN, 0.01),
               (RoomType.CAFETERIA, 0.01)],
    "support": [(RoomType.OFFICE, 0.45), (RoomType.STORAGE, 0.25), (RoomType.GARAGE, 0.15),
                (RoomType.MECHANICAL, 0.08), (RoomType.SERVER, 0.07)],
}

ROOM_POOLS = {
    "classroom": (RoomType.CLASSROOM, RoomType.LAB, RoomType.LIBRARY),
    "office": (RoomType.OFFICE,),
    "server": (RoomType.SERVER,),
    "kitchen": (RoomType.KITCHEN, RoomType.CAFETERIA),
    "mechanical": (RoomType.MECHANICAL,),
    "garage": (RoomType.GARAGE,),
}

CLERKS = ["mgarcia", "jchen", "rthompson", "apatel", "dwilliams"]
