//! Walking every page of a paged read (`friend_get`, `black_list_get`) as a stream.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::Client;
use crate::error::PaginationStop;
use crate::{Endpoint, Error, Paginated};

/// Pages a stream yields at most unless told otherwise: far above any documented list size
/// (3000 friends, 1000 blacklisted), low enough to stop a service that never completes.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

type Response<E> = Result<<E as Endpoint>::Response, Error<<E as Endpoint>::Error>>;
type InFlight<E> = Pin<Box<dyn Future<Output = Response<E>> + Send>>;

/// Every page of a paged read, in order: a [`Stream`] of responses, each call validated,
/// signed and retried like [`Client::call`].
///
/// The stream ends after the page the service marks as the last. It ends with an
/// [`Error::Pagination`] when the service hands back the same cursor again (it would never
/// complete) or after [`Pages::max_pages`] pages, and after the first error of a call.
pub struct Pages<E: Paginated>
where
    E::Request: Clone + PartialEq,
{
    client: Client,
    current: Option<E::Request>,
    in_flight: Option<InFlight<E>>,
    stop: Option<PaginationStop>,
    pages: usize,
    max_pages: usize,
}

// The in-flight call is boxed and no field is ever pinned in place.
impl<E: Paginated> Unpin for Pages<E> where E::Request: Clone + PartialEq {}

impl Client {
    /// Every page of `E`, starting from `first` (the first page's request).
    ///
    /// ```ignore
    /// let mut pages = client.pages::<FriendGet>(friend_get::Request::new("alice", 0));
    /// while let Some(page) = pages.next_page().await {
    ///     for friend in page?.user_data_item { /* ... */ }
    /// }
    /// ```
    pub fn pages<E>(&self, first: E::Request) -> Pages<E>
    where
        E: Paginated + 'static,
        E::Request: Clone + PartialEq + 'static,
    {
        Pages {
            client: self.clone(),
            current: Some(first),
            in_flight: None,
            stop: None,
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

impl<E> Pages<E>
where
    E: Paginated + 'static,
    E::Request: Clone + PartialEq + 'static,
{
    /// Stops with [`Error::Pagination`] after `max` pages (at least 1).
    pub fn max_pages(mut self, max: usize) -> Self {
        self.max_pages = max.max(1);
        self
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Option<Response<E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<E::Response>, Error<E::Error>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.push(page?);
        }
        Ok(all)
    }
}

impl<E> Stream for Pages<E>
where
    E: Paginated + 'static,
    E::Request: Clone + PartialEq + 'static,
{
    type Item = Response<E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(call) = this.in_flight.as_mut() {
                let result = match call.as_mut().poll(cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => return Poll::Pending,
                };
                this.in_flight = None;
                this.pages += 1;
                let request = this
                    .current
                    .take()
                    .expect("a call in flight has its request");
                let response = match result {
                    Ok(response) => response,
                    Err(e) => return Poll::Ready(Some(Err(e))),
                };
                match E::next_request(&request, &response) {
                    None => {}
                    Some(next) if next == request => this.stop = Some(PaginationStop::Stalled),
                    Some(_) if this.pages >= this.max_pages => {
                        this.stop = Some(PaginationStop::TooManyPages)
                    }
                    Some(next) => this.current = Some(next),
                }
                return Poll::Ready(Some(Ok(response)));
            }
            if let Some(reason) = this.stop.take() {
                return Poll::Ready(Some(Err(Error::Pagination {
                    pages: this.pages,
                    reason,
                })));
            }
            let Some(request) = this.current.clone() else {
                return Poll::Ready(None);
            };
            let client = this.client.clone();
            this.in_flight = Some(Box::pin(async move { client.call::<E>(&request).await }));
        }
    }
}
