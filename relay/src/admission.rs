//! How many sessions the relay serves: in all, and per client address.
//!
//! Every session holds sockets, buffers and tasks, so the relay caps how many
//! it serves at once (`--max-sessions`) and how many one client address may
//! hold (`--max-sessions-per-client`), so that one machine cannot take every
//! place. A session is admitted with a [`Ticket`]; dropping the ticket, when
//! the session ends, gives its place back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

/// The count of open sessions; cheap to clone.
#[derive(Debug, Clone)]
pub struct Admission {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    max_total: usize,
    max_per_client: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// One admitted session's place; dropping it frees the place.
#[derive(Debug)]
pub struct Ticket {
    inner: Arc<Inner>,
    client: IpAddr,
}

impl Admission {
    pub fn new(max_total: usize, max_per_client: usize) -> Admission {
        let open = Mutex::new(Open::default());
        Admission { inner: Arc::new(Inner { max_total, max_per_client, open }) }
    }

    /// Admits a session from `client`, or says which limit is full.
    pub fn admit(&self, client: IpAddr) -> Result<Ticket, String> {
        let inner = &self.inner;
        let mut open = inner.lock();
        let theirs = open.per_client.get(&client).copied().unwrap_or(0);
        if open.total >= inner.max_total {
            return Err(format!(
                "the relay is serving {} sessions, the most it serves at once; try again later",
                inner.max_total
            ));
        }
        if theirs >= inner.max_per_client {
            return Err(format!(
                "{client} already has {} sessions open, the most one address may have; close a page first",
                inner.max_per_client
            ));
        }
        open.total += 1;
        open.per_client.insert(client, theirs + 1);
        Ok(Ticket { inner: Arc::clone(inner), client })
    }

    /// How many sessions are open now.
    pub fn open(&self) -> usize {
        self.inner.lock().total
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        // The counts stay consistent even if a holder panicked: each update is one step.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut open = self.inner.lock();
        open.total -= 1;
        if let Some(theirs) = open.per_client.get_mut(&self.client) {
            *theirs -= 1;
            if *theirs == 0 {
                open.per_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn one_client_cannot_take_every_place() {
        let admission = Admission::new(3, 2);
        let first = admission.admit(A).unwrap();
        let _second = admission.admit(A).unwrap();
        let refused = admission.admit(A).unwrap_err();
        assert!(refused.contains("192.0.2.1 already has 2 sessions"), "{refused}");
        let _other = admission.admit(B).unwrap();
        let full = admission.admit(B).unwrap_err();
        assert!(full.contains("serving 3 sessions"), "{full}");
        drop(first);
        assert_eq!(admission.open(), 2);
        admission.admit(A).expect("a place was given back");
    }
}
