//! How domain values travel through sqlx: currencies, rates and the vocabulary enums are TEXT
//! on both engines, encoded as their stable code and parsed strictly on the way back, so a
//! corrupted row is a decode error instead of a wrong number.

use crate::domain::item::{
    AdminLevel, AidForm, BudgetKind, CertificateType, CommitmentKind, DisbursementStatus,
    ImportKind, ImportState, ItemStatus, MilestoneStatus, Modality, OrgKind, ReportDecision, Role,
};
use crate::domain::mobilisation::{ActivityKind, ProposalStatus, TargetDimension};
use crate::domain::rate::RateValue;
use crate::domain::{Currency, Lang};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

macro_rules! text_code {
    ($($t:ty),+) => {$(
        impl<DB: Database> Type<DB> for $t
        where
            for<'a> &'a str: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <&str as Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <&str as Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: Database> Encode<'q, DB> for $t
        where
            &'static str: Encode<'q, DB>,
        {
            fn encode_by_ref(&self, buf: &mut <DB as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <&'static str as Encode<'q, DB>>::encode(self.code(), buf)
            }
        }

        impl<'r, DB: Database> Decode<'r, DB> for $t
        where
            &'r str: Decode<'r, DB>,
        {
            fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let s = <&'r str as Decode<'r, DB>>::decode(value)?;
                s.parse::<$t>().map_err(Into::into)
            }
        }
    )+};
}

text_code!(
    ActivityKind,
    ProposalStatus,
    TargetDimension,
    BudgetKind,
    Currency,
    Lang,
    Modality,
    AidForm,
    ItemStatus,
    CommitmentKind,
    DisbursementStatus,
    MilestoneStatus,
    ReportDecision,
    OrgKind,
    CertificateType,
    Role,
    AdminLevel,
    ImportKind,
    ImportState
);

impl<DB: Database> Type<DB> for RateValue
where
    for<'a> &'a str: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <&str as Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <&str as Type<DB>>::compatible(ty)
    }
}

impl<'q, DB: Database> Encode<'q, DB> for RateValue
where
    String: Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut <DB as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, DB>>::encode(self.canonical(), buf)
    }
}

impl<'r, DB: Database> Decode<'r, DB> for RateValue
where
    &'r str: Decode<'r, DB>,
{
    fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <&'r str as Decode<'r, DB>>::decode(value)?;
        s.parse::<RateValue>().map_err(Into::into)
    }
}
