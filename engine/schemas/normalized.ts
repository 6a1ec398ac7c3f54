// Panther-compatible normalised fields that every parsed event carries.

export interface NormalizedFields {
  p_log_type: string;
  /**
   * RFC 3339 UTC with milliseconds: the same in every delivery shape. Audit `eventTime` / network `end`, else the
   * envelope's `time`, else `logged`, else `fields.recorded`; never the wall clock (see engine/schemas/event-time.ts).
   */
  p_event_time: string;
  /** RFC 3339 UTC with milliseconds: the receive time live; in replay `logged`, else `fields.recorded`, else p_event_time. */
  p_parse_time: string;
  p_row_id: string;
  p_source_id: string;
  p_source_label: string;
  /** The tailnet the source belongs to (its config, or `replay --tailnet`); "default" when none is named. */
  p_tailnet: string;
  p_any_ip_addresses: string[];
  p_any_emails: string[];
  p_any_actor_ids: string[];
  p_any_usernames: string[];
  p_any_domain_names: string[];
}

/** The envelope every event is normalised into, whatever shape it arrived in (HEC, API/S3, Panther-stored). */
export interface Envelope<Record> extends NormalizedFields {
  /** Unix seconds (float), from the HEC/Panther envelope when there was one (kept even when the record has its own time). */
  time?: number;
  event: Record;
  fields?: { recorded?: string };
}
