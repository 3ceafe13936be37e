//! Company and site names, and the spelling variants an RMM holds for the same customer.

use crate::rng::SeededRng;
use crate::tenant::Noise;

const WORDS: &[&str] = &[
    "Acme",
    "Apex",
    "Summit",
    "Blue River",
    "Northwind",
    "Granite",
    "Cedar",
    "Harbor",
    "Pioneer",
    "Silverline",
    "Redwood",
    "Lakeside",
    "Evergreen",
    "Keystone",
    "Meridian",
    "Oakridge",
    "Pinnacle",
    "Riverside",
    "Sterling",
    "Trinity",
    "Valley",
    "Westfield",
    "Brightstar",
    "Coastal",
    "Crescent",
    "Falcon",
    "Frontier",
    "Golden Gate",
    "Highland",
    "Ironwood",
    "Liberty",
    "Maple",
    "Northstar",
    "Orchard",
    "Parkway",
    "Quantum",
    "Rockport",
    "Sunrise",
    "Tidewater",
    "Union",
    "Vertex",
    "Wildflower",
    "Anchor",
    "Beacon",
    "Bluebird",
    "Canyon",
    "Compass",
    "Copper",
    "Eastgate",
    "Elm Street",
    "Fairview",
    "Greenleaf",
    "Heritage",
    "Horizon",
    "Lighthouse",
    "Mosaic",
    "Nexus",
    "Prairie",
    "St Mary's",
    "Müller",
    "Søndergaard",
    "Château",
    "Björk",
    "O'Brien",
    "Kowalski",
    "Nakamura",
    "Okafor",
];

const INDUSTRIES: &[&str] = &[
    "Dental",
    "Logistics",
    "Manufacturing",
    "Accounting",
    "Law",
    "Medical Center",
    "Construction",
    "Engineering",
    "Realty",
    "Insurance",
    "Veterinary Clinic",
    "Consulting",
    "Technologies",
    "Solutions",
    "Architects",
    "Financial Services",
    "Plumbing",
    "Auto Group",
    "Foods",
    "Pharmacy",
    "Hotels",
    "School",
    "Church",
    "Labs",
    "Media",
    "Marketing",
    "Credit Union",
    "Orthopedics",
    "Chiropractic",
    "Transport",
    "Electric",
    "Roofing",
    "Capital",
    "Property Management",
];

const SURNAMES: &[&str] = &[
    "Smith", "Johnson", "Baker", "Carter", "Diaz", "Evans", "Fischer", "Garcia", "Hughes",
    "Iverson", "Jensen", "Khan", "Lopez", "Morgan", "Nguyen", "Olsen", "Patel", "Quinn", "Reyes",
    "Schmidt",
];

const SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    "Inc",
    "Inc.",
    "LLC",
    "Corp",
    "Corporation",
    "Ltd",
    "Co.",
    "Group",
    "LLP",
    "PC",
    "GmbH",
    "Pty Ltd",
];

/// City codes used in location-coded RMM site names ("Acme - NYC", "ACME-LON-01").
pub(crate) const LOCATIONS: &[(&str, &str)] = &[
    ("NYC", "New York"),
    ("LON", "London"),
    ("CHI", "Chicago"),
    ("DAL", "Dallas"),
    ("SEA", "Seattle"),
    ("MIA", "Miami"),
    ("DEN", "Denver"),
    ("BOS", "Boston"),
    ("SYD", "Sydney"),
    ("TOR", "Toronto"),
    ("BER", "Berlin"),
    ("ATL", "Atlanta"),
];

/// A PSA company name: a base name that is unique in the tenant, and its legal suffix (may be empty).
#[derive(Debug, Clone)]
pub(crate) struct CompanyName {
    pub(crate) base: String,
    pub(crate) suffix: &'static str,
}

impl CompanyName {
    /// The name as the PSA shows it.
    pub(crate) fn full(&self) -> String {
        if self.suffix.is_empty() {
            self.base.clone()
        } else {
            format!("{} {}", self.base, self.suffix)
        }
    }
}

/// The `index`-th company name: deterministic from the RNG, unique because the index is folded in when
/// the word combinations run out.
pub(crate) fn company_name(rng: &mut SeededRng, index: usize) -> CompanyName {
    let combos = WORDS.len() * INDUSTRIES.len();
    let base = if rng.chance(0.12) {
        let a = SURNAMES[index % SURNAMES.len()];
        let b = SURNAMES[(index / SURNAMES.len() + 1 + index) % SURNAMES.len()];
        let joiner = if rng.chance(0.5) { "&" } else { "and" };
        format!("{a} {joiner} {b}")
    } else {
        let slot = (index.wrapping_mul(7919) + index / combos) % combos;
        format!(
            "{} {}",
            WORDS[slot % WORDS.len()],
            INDUSTRIES[slot / WORDS.len()]
        )
    };
    let round = index / combos.max(1);
    let base = if round > 0 || base.contains(['&']) || base.contains(" and ") {
        format!("{base} {}", index + 1)
    } else {
        base
    };
    let suffix = rng.pick(SUFFIXES).copied().unwrap_or("");
    CompanyName { base, suffix }
}

/// Short identifier as Manage has it ("AcmeDental", max 25 chars), made unique by the caller's index.
pub(crate) fn identifier(name: &CompanyName, index: usize) -> String {
    let compact: String = name
        .base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(20)
        .collect();
    format!("{compact}{index}")
}

/// A web domain for the company.
pub(crate) fn domain(name: &CompanyName, index: usize) -> String {
    let compact: String = name
        .base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("{compact}{index}.example.com")
}

/// The name the RMM holds for a PSA company, and the kind of variation applied (`None` = same name).
pub(crate) fn rmm_variant(
    rng: &mut SeededRng,
    name: &CompanyName,
    p: f64,
) -> (String, Option<Noise>) {
    if !rng.chance(p) {
        return (name.full(), None);
    }
    let choice = rng.below(4);
    if choice == 0 || (choice == 2 && !has_joiner(&name.base)) {
        let suffix = match name.suffix {
            "Corp" => "Corporation",
            "Corporation" => "Corp.",
            "Inc" => "Incorporated",
            "Inc." => "Inc",
            "LLC" => "L.L.C.",
            "Ltd" => "Limited",
            "Co." => "Company",
            "" => "Inc",
            _ => "",
        };
        let variant = if suffix.is_empty() {
            name.base.clone()
        } else {
            format!("{}, {suffix}", name.base)
        };
        return (variant, Some(Noise::CompanySuffixVariant));
    }
    if choice == 1 {
        return (name.full().to_uppercase(), Some(Noise::CompanyCaseVariant));
    }
    if choice == 2 {
        let swapped = if name.base.contains(" & ") {
            name.base.replace(" & ", " and ")
        } else {
            name.base.replace(" and ", " & ")
        };
        return (swapped, Some(Noise::CompanyAmpersandVariant));
    }
    (
        spelling_variant(&name.base),
        Some(Noise::CompanySpellingVariant),
    )
}

fn has_joiner(base: &str) -> bool {
    base.contains(" & ") || base.contains(" and ")
}

/// A spelling variant: a known alternative spelling, or two adjacent letters swapped in the longest word.
fn spelling_variant(base: &str) -> String {
    for (from, to) in [
        ("Center", "Centre"),
        ("Technologies", "Tech"),
        ("Solutions", "Solns"),
        ("Financial Services", "Financial Svcs"),
        ("Manufacturing", "Mfg"),
        ("St Mary's", "Saint Marys"),
        ("Accounting", "Acctg"),
    ] {
        if base.contains(from) {
            return base.replace(from, to);
        }
    }
    let mut words: Vec<String> = base.split(' ').map(str::to_owned).collect();
    let longest = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.chars().count())
        .map(|(i, _)| i)
        .unwrap_or(0);
    if let Some(word) = words.get_mut(longest) {
        let mut chars: Vec<char> = word.chars().collect();
        if chars.len() >= 4 {
            chars.swap(1, 2);
            *word = chars.into_iter().collect();
        }
    }
    words.join(" ")
}

/// A location-coded site name for a customer ("Acme Dental - NYC", "ACMEDENTAL-LON-01").
pub(crate) fn location_coded(rng: &mut SeededRng, customer: &str, code: &str, n: usize) -> String {
    if rng.chance(0.5) {
        format!("{customer} - {code}")
    } else {
        let compact: String = customer
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(10)
            .collect::<String>()
            .to_uppercase();
        format!("{compact}-{code}-{n:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_differ_from_the_psa_name() {
        let mut rng = SeededRng::new(1);
        let name = CompanyName {
            base: "Smith & Jensen".into(),
            suffix: "LLC",
        };
        for _ in 0..50 {
            let (variant, noise) = rmm_variant(&mut rng, &name, 1.0);
            assert!(noise.is_some());
            assert_ne!(variant, name.full());
        }
        assert_eq!(spelling_variant("Acme Technologies"), "Acme Tech");
        assert_eq!(spelling_variant("Granite Dental"), "Garnite Dental");
    }
}
