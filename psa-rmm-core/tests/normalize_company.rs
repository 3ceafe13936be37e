//! Company-name keys: folding, symbols, articles, legal suffixes and the pitfalls of the matching reference.

use psa_rmm_core::normalize::company::CompanyName;

fn keys(raw: &str) -> (String, String, String) {
    let name = CompanyName::new(raw);
    (
        name.exact().to_owned(),
        name.base().to_owned(),
        name.sorted_tokens().to_owned(),
    )
}

#[test]
fn smith_and_sons_share_a_base_key() {
    let a = CompanyName::new("The Smith & Sons Ltd.");
    let b = CompanyName::new("Smith and Sons");
    assert_eq!(a.exact(), "the smith and sons ltd");
    assert_eq!(a.base(), "smith and sons");
    assert_eq!(a.base(), b.base());
    assert_eq!(a.sorted_tokens(), b.sorted_tokens());
    assert_ne!(a.exact(), b.exact());
}

#[test]
fn dsm_nv_and_dsm_ip_assets_stay_apart() {
    let a = CompanyName::new("DSM N.V.");
    let b = CompanyName::new("DSM IP Assets B.V.");
    assert_eq!(a.base(), "dsm");
    assert_eq!(b.base(), "dsm ip assets");
    assert_ne!(a.base(), b.base());
    assert_ne!(a.sorted_tokens(), b.sorted_tokens());
}

#[test]
fn numbered_sites_stay_apart() {
    assert_ne!(
        CompanyName::new("Store 170").base(),
        CompanyName::new("Store 342").base()
    );
}

/// (input, exact, base, sorted tokens)
#[test]
fn normalisation_table() {
    let cases = [
        (
            "Tool Supply, Inc.",
            "tool supply inc",
            "tool supply",
            "supply tool",
        ),
        (
            "tool supply inc",
            "tool supply inc",
            "tool supply",
            "supply tool",
        ),
        (
            "Müller GmbH & Co. KG",
            "muller gmbh and co kg",
            "muller",
            "muller",
        ),
        (
            "Straße Bau AG",
            "strasse bau ag",
            "strasse bau",
            "bau strasse",
        ),
        (
            "Søren Ærø ApS",
            "soren aero aps",
            "soren aero",
            "aero soren",
        ),
        (
            "Łódź Œuvre S.A.",
            "lodz oeuvre sa",
            "lodz oeuvre",
            "lodz oeuvre",
        ),
        (
            "O'Brien's Plumbing L.L.C.",
            "obriens plumbing llc",
            "obriens plumbing",
            "obriens plumbing",
        ),
        ("Acme L L C", "acme l l c", "acme", "acme"),
        ("Acme Pty. Ltd.", "acme pty ltd", "acme", "acme"),
        ("Infosys Pvt Ltd", "infosys pvt ltd", "infosys", "infosys"),
        ("Smith & Co", "smith and co", "smith", "smith"),
        (
            "Black+Decker",
            "black and decker",
            "black and decker",
            "and black decker",
        ),
        (
            "ACME Intl Svcs",
            "acme intl svcs",
            "acme international services",
            "acme international services",
        ),
        (
            "St Mary's School",
            "st marys school",
            "saint marys school",
            "marys saint school",
        ),
        (
            "Main St Dental",
            "main st dental",
            "main st dental",
            "dental main st",
        ),
        ("The The", "the the", "the", "the"),
        ("Ltd", "ltd", "ltd", "ltd"),
        ("Co.", "co", "co", "co"),
        ("Acme Inc Ltd", "acme inc ltd", "acme", "acme"),
        ("ＡＣＭＥ　Ｃｏｒｐ", "acme corp", "acme", "acme"),
        ("E.ON SE", "eon se", "eon se", "eon se"),
    ];
    for (raw, exact, base, sorted) in cases {
        assert_eq!(
            keys(raw),
            (exact.to_owned(), base.to_owned(), sorted.to_owned()),
            "{raw}"
        );
    }
}

#[test]
fn non_latin_scripts_are_kept() {
    let japanese = CompanyName::new("株式会社ガイア");
    assert_eq!(japanese.exact(), "株式会社ガイア");
    assert!(!japanese.base().is_empty());
    assert_ne!(
        CompanyName::new("ガイア").exact(),
        CompanyName::new("カイア").exact(),
        "kana voicing marks are part of the letter"
    );
    let russian = CompanyName::new("ООО «Ромашка»");
    assert_eq!(russian.exact(), "ооо ромашка");
    assert_eq!(CompanyName::new("Ёлка").exact(), "елка");
    let greek = CompanyName::new("ΑΘΗΝΑΪΚΗ ΤΕΧΝΙΚΗ");
    assert_eq!(greek.exact(), "αθηναικη τεχνικη");
    let hindi = CompanyName::new("टाटा मोटर्स");
    assert_eq!(hindi.tokens().len(), 2);
    assert_ne!(hindi.exact(), CompanyName::new("टट मटरस").exact());
    assert_eq!(CompanyName::new("삼성전자").exact(), "삼성전자");
}

#[test]
fn names_without_letters_are_empty() {
    let name = CompanyName::new(" -- & -- ");
    assert_eq!(name.exact(), "and");
    let blank = CompanyName::new("!!! ...");
    assert!(blank.is_empty());
    assert_eq!((blank.base(), blank.sorted_tokens()), ("", ""));
    assert!(blank.tokens().is_empty());
}

#[test]
fn tokens_are_base_tokens_in_order() {
    let name = CompanyName::new("The Zeta Alpha Zeta Holdings Ltd");
    assert_eq!(name.tokens(), ["zeta", "alpha", "zeta", "holdings"]);
    assert_eq!(name.sorted_tokens(), "alpha holdings zeta");
}

#[test]
fn acronym_key() {
    let name = CompanyName::new("American Marketing Association");
    assert_eq!(name.acronym().as_deref(), Some("ama"));
    assert_eq!(CompanyName::new("AMA").base(), "ama");
    assert_eq!(
        CompanyName::new("The Bank of Nova Scotia Ltd")
            .acronym()
            .as_deref(),
        Some("bns")
    );
    assert_eq!(CompanyName::new("Acme Ltd").acronym(), None);
    assert_eq!(CompanyName::new("").acronym(), None);
}

/// (site name, base key without the location part)
#[test]
fn location_parts_are_stripped_for_the_site_key() {
    let cases = [
        ("Acme Corp - Main Office", Some("acme")),
        ("Acme Corp \u{2013} HQ", Some("acme")),
        ("Acme Corp (Site 2)", Some("acme")),
        ("Acme Corp [London]", Some("acme")),
        ("Acme Corp | Branch 3", Some("acme")),
        ("Acme Corp: Warehouse", Some("acme")),
        (
            "Smith & Sons Ltd - Leeds - Unit 4",
            Some("smith and sons ltd leeds"),
        ),
        ("Acme Corp", None),
        ("(Site 2)", None),
        (" - HQ", None),
        ("Acme-Corp", None),
    ];
    for (raw, expected) in cases {
        assert_eq!(
            CompanyName::without_location(raw).as_deref(),
            expected,
            "{raw}"
        );
    }
}
