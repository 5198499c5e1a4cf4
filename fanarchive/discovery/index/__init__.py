"""The catalogue index (roaring bitmaps) behind every listing; see `catalogue` and `live`."""
