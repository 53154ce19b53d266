"""The district's domain: schema, services, rules and data exchange. No Qt here."""
