//! Vendor credentials from environment variables (names in the README). Secrets are held as
//! [`SecretString`] and never printed.

use psa_rmm_core::http::SecretString;

/// Where variables come from: the process environment, or a map in tests.
type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A configuration problem, naming the variable to fix.
#[derive(Debug, thiserror::Error)]
#[error("{vendor}: {problem}")]
pub struct ConfigError {
    /// The vendor.
    pub vendor: &'static str,
    /// What is wrong.
    pub problem: String,
}

fn missing(vendor: &'static str, names: &[&str]) -> ConfigError {
    ConfigError {
        vendor,
        problem: format!("set {} (see README)", names.join(", ")),
    }
}

/// ConnectWise Manage: `CW_MANAGE_SITE`, `CW_MANAGE_COMPANY_ID`, `CW_MANAGE_PUBLIC_KEY`,
/// `CW_MANAGE_PRIVATE_KEY`, `CW_MANAGE_CLIENT_ID`.
#[derive(Debug, Clone)]
pub struct ManageConfig {
    /// Site host, e.g. `na.myconnectwise.net` (the base URL, not the API path).
    pub site: String,
    /// Login company id.
    pub company_id: String,
    /// API member public key.
    pub public_key: String,
    /// API member private key.
    pub private_key: SecretString,
    /// Integrator clientId.
    pub client_id: String,
}

/// Datto RMM: `DATTO_RMM_API_URL` (e.g. `https://merlot-api.centrastage.net`), `DATTO_RMM_API_KEY`,
/// `DATTO_RMM_API_SECRET`; optional `DATTO_RMM_PSA_UDF` (UDF number receiving the PSA configuration id,
/// default 30).
#[derive(Debug, Clone)]
pub struct DattoConfig {
    /// API URL of the account's platform.
    pub api_url: String,
    /// API key.
    pub api_key: String,
    /// API secret key.
    pub api_secret: SecretString,
    /// UDF that receives the PSA configuration id.
    pub psa_udf: u16,
}

/// ConnectWise Asio: `CW_ASIO_BASE_URL` (e.g. `https://openapi.service.itsupport247.net`),
/// `CW_ASIO_CLIENT_ID`, `CW_ASIO_CLIENT_SECRET`; optional `CW_ASIO_PSA_FIELD` (id of the endpoint custom
/// field receiving the PSA configuration id).
#[derive(Debug, Clone)]
pub struct AsioConfig {
    /// API base URL; `None` lets the client derive the region.
    pub base_url: Option<String>,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: SecretString,
    /// Custom field definition id for the PSA configuration id.
    pub psa_field: Option<String>,
}

/// What the environment configures: each vendor is present when its variables are.
#[derive(Debug, Clone, Default)]
pub struct VendorConfig {
    /// Manage, when configured.
    pub manage: Option<ManageConfig>,
    /// Datto RMM, when configured.
    pub datto: Option<DattoConfig>,
    /// Asio, when configured.
    pub asio: Option<AsioConfig>,
}

impl VendorConfig {
    /// Reads the environment. A vendor with some but not all required variables is an error.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&env_var)
    }

    /// Reads variables through `lookup` (blank values count as unset).
    pub fn from_lookup(lookup: Lookup<'_>) -> Result<Self, ConfigError> {
        let var = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Ok(Self {
            manage: manage(&var)?,
            datto: datto(&var)?,
            asio: asio(&var)?,
        })
    }

    /// True when no vendor is configured (the demo then runs on the sandbox).
    pub fn is_empty(&self) -> bool {
        self.manage.is_none() && self.datto.is_none() && self.asio.is_none()
    }
}

/// All of `names` set, or none of them; anything in between is an error naming the missing ones.
fn all_or_none(
    var: Lookup<'_>,
    vendor: &'static str,
    names: &[&str],
) -> Result<Option<Vec<String>>, ConfigError> {
    let values: Vec<Option<String>> = names.iter().map(|n| var(n)).collect();
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let absent: Vec<&str> = names
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !absent.is_empty() {
        return Err(missing(vendor, &absent));
    }
    Ok(Some(values.into_iter().flatten().collect()))
}

fn manage(var: Lookup<'_>) -> Result<Option<ManageConfig>, ConfigError> {
    let names = [
        "CW_MANAGE_SITE",
        "CW_MANAGE_COMPANY_ID",
        "CW_MANAGE_PUBLIC_KEY",
        "CW_MANAGE_PRIVATE_KEY",
        "CW_MANAGE_CLIENT_ID",
    ];
    Ok(
        all_or_none(var, "ConnectWise Manage", &names)?.map(|v| ManageConfig {
            site: v[0].clone(),
            company_id: v[1].clone(),
            public_key: v[2].clone(),
            private_key: SecretString::from(v[3].clone()),
            client_id: v[4].clone(),
        }),
    )
}

fn datto(var: Lookup<'_>) -> Result<Option<DattoConfig>, ConfigError> {
    let names = [
        "DATTO_RMM_API_URL",
        "DATTO_RMM_API_KEY",
        "DATTO_RMM_API_SECRET",
    ];
    let Some(v) = all_or_none(var, "Datto RMM", &names)? else {
        return Ok(None);
    };
    let psa_udf = match var("DATTO_RMM_PSA_UDF") {
        None => 30,
        Some(n) => n.parse().map_err(|_| ConfigError {
            vendor: "Datto RMM",
            problem: format!("DATTO_RMM_PSA_UDF must be a UDF number (1-300), not {n:?}"),
        })?,
    };
    Ok(Some(DattoConfig {
        api_url: v[0].clone(),
        api_key: v[1].clone(),
        api_secret: SecretString::from(v[2].clone()),
        psa_udf,
    }))
}

fn asio(var: Lookup<'_>) -> Result<Option<AsioConfig>, ConfigError> {
    let names = ["CW_ASIO_CLIENT_ID", "CW_ASIO_CLIENT_SECRET"];
    Ok(
        all_or_none(var, "ConnectWise Asio", &names)?.map(|v| AsioConfig {
            base_url: var("CW_ASIO_BASE_URL"),
            client_id: v[0].clone(),
            client_secret: SecretString::from(v[1].clone()),
            psa_field: var("CW_ASIO_PSA_FIELD"),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use psa_rmm_core::http::ExposeSecret;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Result<VendorConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        VendorConfig::from_lookup(&|name| map.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_sandbox() {
        assert!(read(&[]).unwrap().is_empty());
    }

    #[test]
    fn partial_vendor_names_what_is_missing_without_secrets() {
        let err = read(&[
            ("DATTO_RMM_API_KEY", "k"),
            ("DATTO_RMM_API_SECRET", "s3cret"),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("DATTO_RMM_API_URL"), "{text}");
        assert!(!text.contains("s3cret"));
    }

    #[test]
    fn complete_vendor_is_read_and_secret_is_hidden() {
        let cfg = read(&[
            ("DATTO_RMM_API_URL", "https://merlot-api.centrastage.net"),
            ("DATTO_RMM_API_KEY", "key"),
            ("DATTO_RMM_API_SECRET", " s3cret "),
            ("DATTO_RMM_PSA_UDF", "12"),
        ])
        .unwrap();
        let datto = cfg.datto.unwrap();
        assert_eq!(datto.psa_udf, 12);
        assert_eq!(datto.api_secret.expose_secret(), "s3cret");
        assert!(!format!("{datto:?}").contains("s3cret"));
        let bad = read(&[
            ("DATTO_RMM_API_URL", "u"),
            ("DATTO_RMM_API_KEY", "k"),
            ("DATTO_RMM_API_SECRET", "s"),
            ("DATTO_RMM_PSA_UDF", "x"),
        ]);
        assert!(bad.is_err());
    }
}
