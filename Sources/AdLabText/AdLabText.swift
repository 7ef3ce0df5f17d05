/// AdLabText: pre-trained language models on AdLab's tensor core — the safetensors reader, the WordPiece tokenizer
/// and the all-MiniLM-L6-v2 sentence encoder (the representation step of the ad loop), and the on-disk model cache.
///
/// Depends on AdLabTensor only, so the core and the plugins can use text representations without the reverse.
public enum AdLabText {}
