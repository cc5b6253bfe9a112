//! Who is on the other end: the client's address and whether it came over https,
//! believing forwarding headers only from the configured reverse proxies.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|n| n.contains(&ip))
}

fn peer_is_trusted(req: &HttpRequest, proxies: &[IpNet]) -> Option<IpAddr> {
    req.peer_addr()
        .map(|a| a.ip())
        .filter(|ip| trusted(*ip, proxies))
}

/// An X-Forwarded-For entry as an address: "203.0.113.7", "203.0.113.7:4711",
/// "2001:db8::1" or "[2001:db8::1]:4711".
fn entry_ip(entry: &str) -> Option<IpAddr> {
    let e = entry.trim();
    if let Ok(ip) = e.parse() {
        return Some(ip);
    }
    if let Some(rest) = e.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    e.rsplit_once(':')?.0.parse().ok()
}

/// The throttle's name for a client: its IPv4 address, or its IPv6 /64 (one
/// subscriber holds a whole /64, so single IPv6 addresses would be free to vary).
fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The client, as the login throttle counts it: the connecting address, or behind
/// trusted proxies the nearest X-Forwarded-For entry that is not itself a trusted proxy
/// (the left-hand entries are whatever the client chose to send). An entry that is not
/// an address means the proxy passed on what the client wrote: the proxy is the client
/// then, so writing nonsense buys no fresh count.
pub fn address(req: &HttpRequest, proxies: &[IpNet]) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let Some(proxy) = peer_is_trusted(req, proxies) else {
        return peer.map(client_key).unwrap_or_default();
    };
    let hops: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    for hop in hops.iter().rev() {
        match entry_ip(hop) {
            Some(ip) if trusted(ip, proxies) => continue,
            Some(ip) => return client_key(ip),
            None => break,
        }
    }
    client_key(proxy)
}

/// Whether the browser reached us over https: only a trusted proxy can say so
/// (Placefirst itself serves plain http).
pub fn is_https(req: &HttpRequest, proxies: &[IpNet]) -> bool {
    peer_is_trusted(req, proxies).is_some()
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_entries_and_keys() {
        assert_eq!(entry_ip("203.0.113.7:4711"), "203.0.113.7".parse().ok());
        assert_eq!(entry_ip("[2001:db8::1]:4711"), "2001:db8::1".parse().ok());
        assert_eq!(entry_ip(" 2001:db8::1 "), "2001:db8::1".parse().ok());
        assert_eq!(entry_ip("unknown"), None);
        let a = client_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = client_key("2001:db8:1:2:bbbb::9".parse().unwrap());
        assert_eq!(a, b, "one /64 is one client");
        assert_eq!(
            client_key("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
    }
}
