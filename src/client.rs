use std::ops::Deref;

/// The client: a [`tim_rest_runtime::Client`] with one method per endpoint of `schema/`
/// (`client.friend_import(&req)`), and everything else of it through `Deref`
/// (`client.call::<FriendImport>(&req)`).
#[derive(Clone, Debug)]
pub struct Client {
    inner: tim_rest_runtime::Client,
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> tim_rest_runtime::ClientBuilder<Client> {
        tim_rest_runtime::ClientBuilder::new()
    }
}

impl From<tim_rest_runtime::Client> for Client {
    fn from(inner: tim_rest_runtime::Client) -> Self {
        Client { inner }
    }
}

impl Deref for Client {
    type Target = tim_rest_runtime::Client;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}
