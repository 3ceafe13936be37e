//! The links a planner reads: which PSA company an RMM company or site belongs to, and which PSA
//! configuration mirrors an RMM device.

use std::collections::BTreeMap;

use crate::mapping::MappingBook;
use crate::model::ExternalRef;

/// RMM company/site -> PSA company, and RMM device -> PSA configuration.
///
/// Planners take this small view rather than the whole mapping book so they can be fed from any store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// RMM company or site -> PSA company.
    pub companies: BTreeMap<ExternalRef, ExternalRef>,
    /// RMM device -> PSA configuration.
    pub devices: BTreeMap<ExternalRef, ExternalRef>,
}

impl Links {
    /// No links.
    pub fn new() -> Self {
        Self::default()
    }

    /// The company and device links of a mapping book.
    pub fn from_book(book: &MappingBook) -> Self {
        Self {
            companies: book
                .company_links()
                .map(|l| (l.rmm.clone(), l.psa.clone()))
                .collect(),
            devices: book
                .device_links()
                .map(|l| (l.rmm.clone(), l.psa.clone()))
                .collect(),
        }
    }

    /// The PSA company of a record that sits in an RMM `site` and/or `company`: the site's link wins,
    /// because sites are the customer in Datto RMM and a location of one in Asio.
    pub fn psa_company(
        &self,
        site: Option<&ExternalRef>,
        company: Option<&ExternalRef>,
    ) -> Option<&ExternalRef> {
        site.and_then(|s| self.companies.get(s))
            .or_else(|| company.and_then(|c| self.companies.get(c)))
    }

    /// The PSA configuration linked to an RMM device.
    pub fn configuration(&self, device: &ExternalRef) -> Option<&ExternalRef> {
        self.devices.get(device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::System;

    #[test]
    fn site_link_wins_over_company_link() {
        let site = ExternalRef::new(System::CwAsio, "s1");
        let company = ExternalRef::new(System::CwAsio, "c1");
        let mut links = Links::new();
        links
            .companies
            .insert(company.clone(), ExternalRef::new(System::CwManage, "1"));
        assert_eq!(
            links.psa_company(Some(&site), Some(&company)).unwrap().id,
            "1"
        );
        links
            .companies
            .insert(site.clone(), ExternalRef::new(System::CwManage, "2"));
        assert_eq!(
            links.psa_company(Some(&site), Some(&company)).unwrap().id,
            "2"
        );
        assert!(links.psa_company(None, None).is_none());
    }
}
