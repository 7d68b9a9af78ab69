//! PostgreSQL's transaction as the store hands it out: sqlx's own and, for a long read, its
//! share of the pool (see [`super::long_reads`]), given back once the transaction has ended;
//! or, for a read of one statement, a pooled connection outside any transaction. It
//! dereferences to the connection, as sqlx's transaction does.

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres, Transaction};
use tokio::sync::OwnedSemaphorePermit;

pub struct PgTx {
    held: Held,
    /// Dropped after `held`: the fields drop in this order.
    long: Option<OwnedSemaphorePermit>,
}

enum Held {
    Tx(Transaction<'static, Postgres>),
    /// A statement outside a transaction is its own snapshot, and spares the round trips of
    /// `BEGIN` and `ROLLBACK` on every request's session or token lookup.
    Plain(PoolConnection<Postgres>),
}

impl PgTx {
    pub(super) fn new(
        tx: Transaction<'static, Postgres>,
        long: Option<OwnedSemaphorePermit>,
    ) -> Self {
        PgTx {
            held: Held::Tx(tx),
            long,
        }
    }

    /// A connection for a read of ONE statement (see `Store::read_one`).
    pub(super) fn plain(c: PoolConnection<Postgres>) -> Self {
        PgTx {
            held: Held::Plain(c),
            long: None,
        }
    }

    pub(super) async fn commit(self) -> Result<(), sqlx::Error> {
        let PgTx { held, long } = self;
        let done = match held {
            Held::Tx(tx) => tx.commit().await,
            Held::Plain(_) => Ok(()),
        };
        drop(long);
        done
    }
}

impl std::ops::Deref for PgTx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        match &self.held {
            Held::Tx(tx) => tx,
            Held::Plain(c) => c,
        }
    }
}

impl std::ops::DerefMut for PgTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match &mut self.held {
            Held::Tx(tx) => tx,
            Held::Plain(c) => c,
        }
    }
}
