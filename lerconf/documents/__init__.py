"""Published documents (contexts, schemas) and remote documents (DIDs, status lists) under
lerconf's rules: registry, loader, network guard, JSON-LD, JSON Schema, credential templates."""
