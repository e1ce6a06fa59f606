//! The field names of a type's serde derive, for code that must know a record's keys without
//! writing them a second time: the article keys a near miss is judged against, the settings
//! keys `init` and the man page list.

use serde::de::{self, Visitor};
use serde::Deserialize;

/// The field names a derived `Deserialize` type asks for, as written in the front matter
/// (renames applied): serde hands them to `deserialize_struct`, which this deserializer
/// records and then refuses.
pub(crate) fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Fields(Option<&'static [&'static str]>);

    /// Refuses, once the fields are recorded.
    type Stop = de::value::Error;

    impl<'de> de::Deserializer<'de> for &mut Fields {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(de::Error::custom("fields recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    let mut recorder = Fields(None);
    let _ = T::deserialize(&mut recorder);
    recorder.0.unwrap_or(&[])
}
