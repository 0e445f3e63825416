//! Who a request came from, behind a reverse proxy: the `X-Forwarded-For` a proxy adds is
//! believed only from the proxies the city names, since any client can send the header
//! itself, and a sign-in brake that counted a forged address could be walked around.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The addresses of the city's reverse proxies (single addresses or networks).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Proxies at `networks`.
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind a connection from `peer`: `peer` itself unless it is a trusted proxy;
    /// then the nearest address of `X-Forwarded-For` (read from its end, where each proxy
    /// appends) that is not a trusted proxy too. What a client wrote into the header before it
    /// reached the first proxy is never reached while a proxy stands in front of it; a header
    /// that cannot be read leaves the proxy's own address, which counts against nobody real.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .map(|value| value.to_str().ok())
            .collect::<Option<Vec<_>>>();
        let Some(hops) = hops else {
            return peer;
        };
        for hop in hops.iter().rev().flat_map(|value| value.rsplit(',')) {
            match parse_hop(hop) {
                Some(address) => {
                    client = address;
                    if !self.trusts(address) {
                        break;
                    }
                }
                None => return peer,
            }
        }
        client
    }
}

/// One address of `X-Forwarded-For`: bare, or as some proxies write it with a port
/// (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = IpAddr::from_str(hop) {
        return Some(address);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return IpAddr::from_str(rest.split(']').next()?).ok();
    }
    IpAddr::from_str(hop.rsplit_once(':')?.0).ok()
}

/// Parses `--trusted-proxies`: an address (`10.0.0.5`) or a network (`10.0.0.0/24`).
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    IpNet::from_str(text)
        .or_else(|_| IpAddr::from_str(text).map(IpNet::from))
        .map_err(|_| format!("'{text}' is neither an IP address nor a network like 10.0.0.0/24"))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        IpAddr::from_str(text).expect("an address")
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                "x-forwarded-for",
                HeaderValue::from_str(value).expect("a header"),
            );
        }
        headers
    }

    fn proxies(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            networks
                .iter()
                .map(|n| parse_network(n).expect("a network"))
                .collect(),
        )
    }

    #[test]
    fn a_client_that_is_no_trusted_proxy_is_itself_whatever_it_sends() {
        let trusted = proxies(&["10.0.0.1"]);
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            trusted.client(ip("198.51.100.7"), &headers),
            ip("198.51.100.7")
        );
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &headers),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_address_it_appended_is_the_client() {
        let trusted = proxies(&["10.0.0.0/24"]);
        // The client forged the first entry; the proxy appended what it saw.
        let headers = forwarded(&["1.2.3.4, 198.51.100.7"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &headers), ip("198.51.100.7"));
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_back_to_the_first_untrusted_hop() {
        let trusted = proxies(&["10.0.0.0/24", "192.168.1.1"]);
        let headers = forwarded(&["1.2.3.4, 198.51.100.7", "192.168.1.1"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &headers), ip("198.51.100.7"));
        let only_proxies = forwarded(&["10.0.0.9, 192.168.1.1"]);
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &only_proxies),
            ip("10.0.0.9")
        );
    }

    #[test]
    fn addresses_with_ports_and_ipv6_are_read_and_garbage_leaves_the_proxy() {
        let trusted = proxies(&["::1"]);
        assert_eq!(
            trusted.client(ip("::1"), &forwarded(&["[2001:db8::7]:4711"])),
            ip("2001:db8::7")
        );
        assert_eq!(
            trusted.client(ip("::1"), &forwarded(&["192.0.2.1:80"])),
            ip("192.0.2.1")
        );
        assert_eq!(
            trusted.client(ip("::1"), &forwarded(&["not an address"])),
            ip("::1")
        );
        assert_eq!(trusted.client(ip("::1"), &HeaderMap::new()), ip("::1"));
    }

    #[test]
    fn a_network_or_an_address_is_accepted_and_anything_else_is_named() {
        assert!(parse_network("10.0.0.0/8").is_ok());
        assert!(parse_network(" ::1 ").is_ok());
        let error = parse_network("proxy.local").expect_err("not an address");
        assert!(error.contains("proxy.local"), "{error}");
    }
}
