//! Outgoing HTTP to addresses users type (calendar subscriptions), kept away from this
//! machine and private networks. The check lives in the resolver, so the addresses
//! checked are the very ones connected to (no second lookup for DNS rebinding to
//! change), and every redirect hop passes it again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// IPv4 ranges that are not the public internet (RFC 6890 special-purpose registry).
const V4_SPECIAL: &[(Ipv4Addr, u8)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8),        // "this network"
    (Ipv4Addr::new(10, 0, 0, 0), 8),       // private
    (Ipv4Addr::new(100, 64, 0, 0), 10),    // carrier-grade NAT
    (Ipv4Addr::new(127, 0, 0, 0), 8),      // loopback
    (Ipv4Addr::new(169, 254, 0, 0), 16),   // link local
    (Ipv4Addr::new(172, 16, 0, 0), 12),    // private
    (Ipv4Addr::new(192, 0, 0, 0), 24),     // IETF protocol assignments
    (Ipv4Addr::new(192, 0, 2, 0), 24),     // TEST-NET-1
    (Ipv4Addr::new(192, 88, 99, 0), 24),   // 6to4 relay anycast
    (Ipv4Addr::new(192, 168, 0, 0), 16),   // private
    (Ipv4Addr::new(198, 18, 0, 0), 15),    // benchmarking
    (Ipv4Addr::new(198, 51, 100, 0), 24),  // TEST-NET-2
    (Ipv4Addr::new(203, 0, 113, 0), 24),   // TEST-NET-3
    (Ipv4Addr::new(224, 0, 0, 0), 4),      // multicast
    (Ipv4Addr::new(240, 0, 0, 0), 4),      // reserved, broadcast
    (Ipv4Addr::new(168, 63, 129, 16), 32), // Azure's host endpoint
];

fn v4_internal(ip: Ipv4Addr) -> bool {
    V4_SPECIAL.iter().any(|(net, len)| {
        Ipv4Net::new(*net, *len)
            .map(|n| n.contains(&ip))
            .unwrap_or(true)
    })
}

/// The IPv4 address an IPv6 address carries, in any of the forms that reach an IPv4
/// host: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96),
/// 6to4 (2002::/16), translated (::ffff:0:a.b.c.d).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let o = ip.octets();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    if s[..6] == [0; 6] && !(s[6] == 0 && s[7] <= 1) {
        return Some(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    // IPv4-translated (SIIT), ::ffff:0:a.b.c.d
    if s[..4] == [0; 4] && s[4] == 0xffff && s[5] == 0 {
        return Some(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
        return Some(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new(o[2], o[3], o[4], o[5]));
    }
    None
}

/// IPv6 ranges that are not the public internet.
const V6_SPECIAL: &[(Ipv6Addr, u8)] = &[
    (Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 0), 127), // unspecified, loopback
    (Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48), // local-use NAT64
    (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64), // discard
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23), // IETF protocol assignments
    (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32), // documentation
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7), // unique local
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10), // link local
    (Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10), // site local (deprecated)
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8), // multicast
];

/// True for addresses that are not on the public internet: this machine, private and
/// shared networks, documentation and benchmarking ranges, multicast, reserved space,
/// and IPv6 forms that carry such an IPv4 address.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_internal(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return v4_internal(v4);
            }
            V6_SPECIAL.iter().any(|(net, len)| {
                Ipv6Net::new(*net, *len)
                    .map(|n| n.contains(&v6))
                    .unwrap_or(true)
            })
        }
    }
}

/// Which addresses outgoing requests may reach.
#[derive(Debug, Clone)]
pub enum Reach {
    /// Anything (the `calendar.allow_internal_addresses` setting, for intranets).
    Anywhere,
    /// Public addresses on web ports, and these exact ones (tests stand a "public"
    /// server on loopback).
    Public { also: Vec<SocketAddr> },
}

/// Calendars are served on web ports; other ports of a public address (this server's
/// own, say) may be services that trust whoever reaches them.
const WEB_PORTS: [u16; 4] = [80, 443, 8080, 8443];

impl Reach {
    pub fn allows(&self, addr: SocketAddr) -> bool {
        match self {
            Self::Anywhere => true,
            Self::Public { also } => {
                also.contains(&addr) || !is_internal(addr.ip()) && WEB_PORTS.contains(&addr.port())
            }
        }
    }
}

/// Resolves as usual, then refuses the whole answer when any address is not allowed.
#[derive(Debug)]
struct GuardedResolver {
    inner: DefaultResolver,
    reach: Reach,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if addrs.iter().any(|a| !self.reach.allows(*a)) {
            // The resolved address is not told: it would map the internal network.
            let host = uri.host().unwrap_or_default();
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "{host} is an internal address or port; only public calendars on web ports are fetched"
                ),
            )));
        }
        Ok(addrs)
    }
}

/// An HTTP client that only reaches what `reach` allows, on every hop, with no proxy
/// from the environment, a few redirects and an overall time limit.
pub fn guarded_agent(reach: Reach, timeout: Duration) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(5)
        .proxy(None)
        .build();
    ureq::Agent::with_parts(
        config,
        DefaultConnector::default(),
        GuardedResolver {
            inner: DefaultResolver::default(),
            reach,
        },
    )
}

/// A network given in settings: "10.0.0.0/8" or a single address.
pub fn parse_net(s: &str) -> Option<IpNet> {
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_and_public_addresses() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "0.0.0.0",
            "100.64.0.1",
            "192.0.2.10",
            "198.18.0.1",
            "198.19.255.255",
            "240.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:0:127.0.0.1",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "ff02::1",
        ] {
            assert!(is_internal(a.parse().unwrap()), "{a} should be internal");
        }
        for a in [
            "93.184.216.34",
            "8.8.8.8",
            "2a00:1450:4010::1",
            "64:ff9b::808:808",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(a.parse().unwrap()), "{a} should be public");
        }
        let public = Reach::Public { also: Vec::new() };
        assert!(public.allows("8.8.8.8:443".parse().unwrap()));
        assert!(!public.allows("8.8.8.8:22".parse().unwrap()));
        assert!(!public.allows("168.63.129.16:80".parse().unwrap()));
    }
}
