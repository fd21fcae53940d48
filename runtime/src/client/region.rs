use std::fmt;

/// The data centre an SDKAppID lives in, which fixes the domain to call.
///
/// Calling another region's domain tends to fail with 70016 or 70020 (key or SDKAppID not
/// found). Each region also has a backup domain for use when the main one does not resolve
/// (the service suggests it against DNS hijacking): see `ClientBuilder::use_backup_domain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// Chinese mainland: `console.tim.qq.com`.
    China,
    /// Singapore: `adminapisgp.im.qcloud.com`.
    Singapore,
    /// Seoul: `adminapikr.im.qcloud.com`.
    Seoul,
    /// Tokyo: `adminapijpn.im.qcloud.com` (listed by newer docs only).
    Tokyo,
    /// Frankfurt: `adminapiger.im.qcloud.com`.
    Frankfurt,
    /// Mumbai: `adminapiind.im.qcloud.com` (dropped from the newest Chinese docs).
    Mumbai,
    /// Silicon Valley: `adminapiusa.im.qcloud.com`.
    SiliconValley,
    /// Jakarta: `adminapiidn.im.qcloud.com`.
    Jakarta,
}

impl Region {
    /// Every region, in the order the docs list them.
    pub const ALL: [Region; 8] = [
        Region::China,
        Region::Singapore,
        Region::Seoul,
        Region::Tokyo,
        Region::Frankfurt,
        Region::Mumbai,
        Region::SiliconValley,
        Region::Jakarta,
    ];

    /// The main domain.
    pub fn domain(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::Seoul => "adminapikr.im.qcloud.com",
            Region::Tokyo => "adminapijpn.im.qcloud.com",
            Region::Frankfurt => "adminapiger.im.qcloud.com",
            Region::Mumbai => "adminapiind.im.qcloud.com",
            Region::SiliconValley => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
        }
    }

    /// The backup domain.
    pub fn backup_domain(self) -> &'static str {
        match self {
            Region::China => "adminapi.my-imcloud.com",
            Region::Singapore => "adminapisgp.my-imcloud.com",
            Region::Seoul => "adminapikr.my-imcloud.com",
            Region::Tokyo => "adminapijpn.my-imcloud.com",
            Region::Frankfurt => "adminapiger.my-imcloud.com",
            Region::Mumbai => "adminapiind.my-imcloud.com",
            Region::SiliconValley => "adminapiusa.my-imcloud.com",
            Region::Jakarta => "adminapiidn.my-imcloud.com",
        }
    }

    /// `https://` + the main or the backup domain.
    pub fn base_url(self, backup: bool) -> String {
        let domain = if backup {
            self.backup_domain()
        } else {
            self.domain()
        };
        format!("https://{domain}")
    }

    /// A readable name: `Singapore`, `Silicon Valley`...
    pub fn name(self) -> &'static str {
        match self {
            Region::China => "China",
            Region::Singapore => "Singapore",
            Region::Seoul => "Seoul",
            Region::Tokyo => "Tokyo",
            Region::Frankfurt => "Frankfurt",
            Region::Mumbai => "Mumbai",
            Region::SiliconValley => "Silicon Valley",
            Region::Jakarta => "Jakarta",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Region;

    #[test]
    fn domains_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for r in Region::ALL {
            assert!(seen.insert(r.domain()));
            assert!(seen.insert(r.backup_domain()));
            assert!(r.base_url(false).starts_with("https://"));
        }
        assert_eq!(
            Region::Singapore.base_url(true),
            "https://adminapisgp.my-imcloud.com"
        );
    }
}
