//! Record ids as newtypes, so a company id can never be passed where a ticket id is expected.
//!
//! Manage ids are int32 on the wire; they are kept as `i64` and decoded from numbers or numeric strings
//! (see [`psa_rmm_core::int_id!`]).

macro_rules! id_types {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {
        psa_rmm_core::int_id! { $( $(#[$meta])* $name ),+ }
        $(
            impl $name {
                /// True for the placeholder `0` that new, unsaved records carry.
                pub fn is_unset(self) -> bool {
                    self.0 == 0
                }
            }
        )+
    };
}

id_types! {
    /// A company (`/company/companies/{id}`).
    CompanyId,
    /// A company status.
    CompanyStatusId,
    /// A company type.
    CompanyTypeId,
    /// A contact.
    ContactId,
    /// A company site.
    SiteId,
    /// A configuration (`/company/configurations/{id}`).
    ConfigurationId,
    /// A configuration type.
    ConfigurationTypeId,
    /// A configuration status.
    ConfigurationStatusId,
    /// A question of a configuration type.
    QuestionId,
    /// A service ticket.
    TicketId,
    /// A ticket note.
    NoteId,
    /// A service board.
    BoardId,
    /// A board status.
    StatusId,
    /// A board (service) type.
    ServiceTypeId,
    /// A board subtype.
    SubTypeId,
    /// A board item.
    ItemId,
    /// A priority.
    PriorityId,
    /// A ticket source.
    SourceId,
    /// A member (technician, API member).
    MemberId,
    /// A sales opportunity.
    OpportunityId,
    /// A procurement catalog item.
    CatalogItemId,
    /// A callback (webhook) registration.
    CallbackId,
    /// A system location (territory).
    LocationId,
    /// A market.
    MarketId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_decode_from_numbers_and_strings_and_print_bare() {
        let a: CompanyId = serde_json::from_str("250").unwrap();
        let b: CompanyId = serde_json::from_str("\"250\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "250");
        assert_eq!(serde_json::to_string(&a).unwrap(), "250");
        assert!(serde_json::from_str::<CompanyId>("null").is_err());
        assert_eq!("42".parse::<TicketId>().unwrap(), TicketId(42));
    }
}
