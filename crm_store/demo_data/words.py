"""Names, companies, places and titles the demo company is built from.

Domains use the reserved `.example` top-level domain and phone numbers the ranges
set aside for fiction (555-01xx in North America, Ofcom's drama ranges in the UK),
so nothing the demo holds can reach a real inbox or phone.
"""

from __future__ import annotations

# (name, slack user id, role, time zone, territory). The first rep is the terminal user.
MANAGER = ("Morgan Lee", "UMANAGER", "manager", "America/New_York", None)
REPS = (
    ("Sam Rivera", "UREP1", "rep", "America/New_York", "east"),
    ("Priya Patel", "UREP2", "rep", "America/Chicago", "central"),
    ("Diego Alvarez", "UREP3", "rep", "America/Los_Angeles", "west"),
    ("Hannah Brooks", "UREP4", "rep", "Europe/London", "uk"),
    ("Marcus Chen", "UREP5", "rep", "America/Chicago", "midmarket"),
)
ADMIN = ("Alex Admin", "UADMIN", "admin", "America/Los_Angeles", None)
OWN_DOMAIN = "brightline.example"  # the demo company's own domain, for its users' emails

# City, territory, phone prefix (the fictional 555-01xx / Ofcom drama numbers follow).
CITIES = (
    ("New York, NY", "east", "+1 212-555-01"),
    ("Boston, MA", "east", "+1 617-555-01"),
    ("Atlanta, GA", "east", "+1 404-555-01"),
    ("Philadelphia, PA", "east", "+1 215-555-01"),
    ("Chicago, IL", "central", "+1 312-555-01"),
    ("Austin, TX", "central", "+1 512-555-01"),
    ("Denver, CO", "central", "+1 303-555-01"),
    ("Minneapolis, MN", "central", "+1 612-555-01"),
    ("San Francisco, CA", "west", "+1 415-555-01"),
    ("Seattle, WA", "west", "+1 206-555-01"),
    ("Los Angeles, CA", "west", "+1 213-555-01"),
    ("Portland, OR", "west", "+1 503-555-01"),
    ("London, UK", "uk", "+44 20 7946 0"),
    ("Manchester, UK", "uk", "+44 161 496 0"),
)
TERRITORY_WEIGHTS = {"east": 35, "central": 25, "west": 25, "uk": 15}

# Industry → the words a company in it tends to end its name with.
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "Software": ("Software", "Systems", "Labs", "Cloud", "Technologies"),
    "Healthcare": ("Health", "Medical", "Care", "Clinics"),
    "Manufacturing": ("Manufacturing", "Industries", "Works", "Fabrication"),
    "Logistics": ("Logistics", "Freight", "Shipping", "Transport"),
    "Financial Services": ("Capital", "Financial", "Partners", "Wealth"),
    "Retail": ("Retail", "Brands", "Outfitters", "Goods"),
    "Education": ("Learning", "Academy", "Education"),
    "Energy": ("Energy", "Power", "Solar", "Renewables"),
    "Media": ("Media", "Studios", "Publishing"),
    "Hospitality": ("Hotels", "Hospitality", "Resorts"),
    "Construction": ("Construction", "Builders", "Engineering"),
    "Biotech": ("Bio", "Biosciences", "Therapeutics"),
    "Insurance": ("Insurance", "Mutual", "Assurance"),
    "Food & Beverage": ("Foods", "Brewing", "Provisions"),
    "Telecommunications": ("Telecom", "Networks", "Communications"),
    "Professional Services": ("Consulting", "Advisors", "Group"),
}

# Company names: a compound ("North" + "wind") or a single word, then an industry word.
NAME_HEADS = (
    "North", "South", "East", "West", "Blue", "Red", "Green", "Silver", "Golden", "Iron",
    "Stone", "Bright", "Clear", "High", "Oak", "Pine", "Cedar", "Maple", "River", "Lake",
    "Summit", "Harbor", "Copper", "Granite", "Sun", "Star", "Eagle", "Falcon", "Fox", "Wolf",
)
NAME_TAILS = (
    "wind", "field", "bridge", "stone", "water", "point", "gate", "line", "wood", "crest",
    "ridge", "haven", "forge", "brook", "peak", "view", "way", "mark", "light", "vale",
)
NAME_WORDS = (
    "Apex", "Meridian", "Vantage", "Keystone", "Pinnacle", "Halcyon", "Atlas", "Beacon",
    "Cobalt", "Crescent", "Evergreen", "Frontier", "Horizon", "Juniper", "Lumen", "Nimbus",
    "Orion", "Paragon", "Quarry", "Redwood", "Sterling", "Tandem", "Vertex", "Willow",
    "Zenith", "Anchor", "Bluebird", "Compass", "Dovetail", "Ember", "Fulcrum", "Glacier",
    "Helix", "Ironclad", "Kestrel", "Lattice", "Mosaic", "Northstar", "Overland", "Prairie",
)

FIRST_NAMES = (
    "Aisha", "Alan", "Amelia", "Ana", "Andrew", "Anjali", "Ben", "Bianca", "Carlos", "Caroline",
    "Chen", "Chloe", "Daniel", "Dana", "David", "Elena", "Emily", "Eric", "Fatima", "Felix",
    "Fiona", "Gabriel", "Grace", "Greg", "Hana", "Hassan", "Helen", "Ian", "Isabel", "Jack",
    "James", "Jasmine", "Jennifer", "Jonathan", "Julia", "Karen", "Kenji", "Kevin", "Laura",
    "Leo", "Lucia", "Maria", "Mark", "Maya", "Megan", "Michael", "Mohammed", "Naomi", "Nathan",
    "Neha", "Nicole", "Nina", "Oliver", "Olivia", "Omar", "Paul", "Pedro", "Rachel", "Rahul",
    "Rebecca", "Ricardo", "Rohan", "Ruth", "Ryan", "Sarah", "Simon", "Sofia", "Sophie",
    "Stephen", "Tara", "Thomas", "Tom", "Valentina", "Victor", "Wei", "William", "Yuki", "Zara",
)
LAST_NAMES = (
    "Adams", "Ahmed", "Anderson", "Baker", "Bennett", "Brown", "Campbell", "Carter", "Castillo",
    "Clarke", "Cohen", "Collins", "Cooper", "Davies", "Diaz", "Edwards", "Evans", "Fischer",
    "Foster", "Garcia", "Gonzalez", "Gray", "Green", "Hall", "Harris", "Hughes", "Ito", "Jackson",
    "Johnson", "Kapoor", "Kelly", "Khan", "Kim", "Kowalski", "Lambert", "Lopez", "Martin",
    "Mehta", "Miller", "Mitchell", "Moore", "Murphy", "Nakamura", "Nguyen", "Novak", "O'Brien",
    "Okafor", "Park", "Parker", "Perez", "Price", "Reed", "Reyes", "Roberts", "Rossi", "Russo",
    "Sanchez", "Schmidt", "Shah", "Singh", "Sullivan", "Taylor", "Thompson", "Turner", "Walker",
    "Wang", "Ward", "Watson", "White", "Williams", "Wilson", "Wright", "Young", "Zhang",
)

# Titles with a weight (more managers than chiefs) and whether they sign (decision maker).
TITLES = (
    ("Chief Executive Officer", 2, True),
    ("Chief Financial Officer", 2, True),
    ("Chief Revenue Officer", 2, True),
    ("Chief Technology Officer", 2, True),
    ("VP of Sales", 5, True),
    ("VP of Operations", 4, True),
    ("Head of Revenue Operations", 5, True),
    ("Director of IT", 5, False),
    ("Director of Finance", 4, False),
    ("Sales Operations Manager", 8, False),
    ("IT Manager", 6, False),
    ("Procurement Manager", 5, False),
    ("Head of Information Security", 3, False),
    ("Customer Success Lead", 4, False),
    ("Operations Analyst", 5, False),
    ("Account Executive", 4, False),
    ("Office Manager", 2, False),
)

PRODUCTS = (
    "Platform license", "Pilot", "Team expansion", "Enterprise upgrade", "Analytics add-on",
    "Sales team rollout", "Forecasting module", "Regional rollout", "Onboarding package",
    "API access",
)
COMPETITORS = ("Pipewise", "Dealforge", "CloseLoop", "Salesgrid", "Acmetrics")
LOST_REASONS = (
    "Chose {competitor}: came in about 20% cheaper",
    "No budget this fiscal year",
    "Project shelved after a reorg",
    "Went quiet after the demo; no response to follow-ups",
    "Failed the security review (no on-prem option)",
    "Timing: revisit next fiscal year",
    "Decided to build it in-house",
    "Champion left the company",
)
