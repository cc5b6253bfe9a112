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

/// The client's address: the connecting address, or behind trusted proxies the
/// nearest address in X-Forwarded-For that is not itself a trusted proxy (the
/// left-hand entries are whatever the client chose to send).
pub fn address(req: &HttpRequest, proxies: &[IpNet]) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let Some(proxy) = peer_is_trusted(req, proxies) else {
        return peer.map(|p| p.to_string()).unwrap_or_default();
    };
    let hops: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(','))
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    hops.iter()
        .rev()
        .find(|ip| !trusted(**ip, proxies))
        .or(hops.first())
        .copied()
        .unwrap_or(proxy)
        .to_string()
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
