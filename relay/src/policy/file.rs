//! The policy file: the egress settings kept in a TOML file (`--policy FILE`).
//!
//! ```toml
//! public = false                                  # optional
//! allow = ["127.0.0.0/8", "::1", "192.168.1.20"]  # optional
//! ports = "80,443,8000-8100"                      # optional; or "any"
//! ```
//!
//! The file holds what an operator wants every time; the flags adjust one
//! run. `--allow` adds to the file's `allow`, `--ports` replaces its `ports`,
//! and `--public` turns public mode on whatever the file says (a flag that is
//! absent cannot turn it off). A key the relay does not know is an error, so a
//! misspelt `alow` does not silently leave the policy stricter or looser than
//! its author meant.

use std::path::Path;

use serde::Deserialize;

use super::PolicyConfigError;

/// What a policy file says. Every key may be left out.
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub public: Option<bool>,
    #[serde(default)]
    pub allow: Vec<String>,
    pub ports: Option<String>,
}

impl PolicyFile {
    /// Reads and parses the file at `path`.
    pub fn read(path: &Path) -> Result<PolicyFile, PolicyConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| PolicyConfigError::Read { path: path.to_owned(), source })?;
        toml::from_str(&text).map_err(|source| PolicyConfigError::Parse { path: path.to_owned(), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PolicyFile, toml::de::Error> {
        toml::from_str(text)
    }

    #[test]
    fn every_key_is_optional() {
        assert_eq!(parse("").unwrap(), PolicyFile::default());
        let file = parse("public = true\nallow = [\"127.0.0.0/8\", \"::1\"]\nports = \"any\"\n").unwrap();
        assert_eq!(
            file,
            PolicyFile {
                public: Some(true),
                allow: vec!["127.0.0.0/8".into(), "::1".into()],
                ports: Some("any".into())
            }
        );
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors() {
        let error = parse("alow = [\"10.0.0.0/8\"]").unwrap_err().to_string();
        assert!(error.contains("unknown field `alow`"), "{error}");
        let error = parse("public = \"yes\"").unwrap_err().to_string();
        assert!(error.contains("invalid type"), "{error}");
        let error = parse("allow = \"10.0.0.0/8\"").unwrap_err().to_string();
        assert!(error.contains("invalid type"), "{error}");
        assert!(parse("ports = [80, 443]").is_err());
        assert!(parse("[section]\npublic = true").is_err());
    }
}
