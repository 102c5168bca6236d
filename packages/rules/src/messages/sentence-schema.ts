/** The JSON Schema of a {@link Sentence}, for the contracts and the OpenAPI document that carry one. */
import { Type } from '@sinclair/typebox';

/** A message key and the values it mentions: what `localize` writes again in the asked language. */
export const SentenceSchema = Type.Object(
  {
    key: Type.String({ description: 'a message key of the catalogs, e.g. "redemption.insufficient-points"' }),
    params: Type.Record(Type.String(), Type.Unknown(), { description: 'the values the message mentions (a text may be a nested sentence)' }),
  },
  { description: 'a sentence kept as data, rendered in English beside it; the API writes it in the language of Accept-Language' },
);
