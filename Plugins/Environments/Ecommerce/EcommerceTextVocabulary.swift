/// The curated product vocabulary item titles and ad lines are written from: cross-category themes that users have
/// tastes for and that titles express in words, and leaf categories with their nouns and attributes.
///
/// Theme words are the signal a text model can read on a new item (its id says nothing yet); category nouns tell the
/// leaf; attributes are neutral filler so that titles are not a bare keyword list. Every entry is a real English
/// product word or phrase, so a pre-trained encoder's embeddings carry the intended meaning.
enum EcommerceTextVocabulary {
  /// A cross-category taste, with the words a title uses to express it.
  struct Theme {
    let name: String
    let words: [String]
  }

  /// A leaf category: its top category, the nouns naming its items and attributes describing them.
  struct LeafCategory {
    let name: String
    let top: String
    let nouns: [String]
    let attributes: [String]
  }

  static let themes: [Theme] = [
    Theme(
      name: "outdoor",
      words: [
        "trail", "camping", "hiking", "all-weather", "waterproof", "rugged", "alpine", "backcountry", "summit",
        "adventure", "weatherproof", "expedition",
      ]),
    Theme(
      name: "tech",
      words: [
        "smart", "wireless", "bluetooth", "app-controlled", "USB-C", "rechargeable", "digital", "Wi-Fi",
        "voice-activated", "touchscreen", "high-speed", "sensor",
      ]),
    Theme(
      name: "eco",
      words: [
        "organic", "recycled", "bamboo", "biodegradable", "plastic-free", "sustainable", "compostable",
        "eco-friendly", "reusable", "plant-based", "zero-waste", "fair trade",
      ]),
    Theme(
      name: "premium",
      words: [
        "luxury", "handcrafted", "artisan", "Italian leather", "cashmere", "limited edition", "signature",
        "hand-stitched", "gold-plated", "heirloom", "designer", "silk",
      ]),
    Theme(
      name: "kids",
      words: [
        "kids'", "toddler", "junior", "baby-safe", "colorful", "playful", "cartoon", "first", "mini",
        "learning", "non-toxic", "school",
      ]),
    Theme(
      name: "fitness",
      words: [
        "training", "performance", "breathable", "moisture-wicking", "high-intensity", "workout", "marathon",
        "gym-ready", "lightweight", "compression", "athletic", "recovery",
      ]),
    Theme(
      name: "home-comfort",
      words: [
        "cozy", "soft-touch", "plush", "fleece-lined", "weighted", "memory foam", "relaxing", "warm",
        "hygge", "snug", "cushioned", "quilted",
      ]),
    Theme(
      name: "travel",
      words: [
        "travel-size", "compact", "foldable", "carry-on", "portable", "packable", "TSA-approved",
        "on-the-go", "collapsible", "jet-set", "weekender", "passport",
      ]),
    Theme(
      name: "budget",
      words: [
        "value pack", "everyday", "basic", "bulk", "multipack", "economy", "no-frills", "starter",
        "budget", "family size", "twin pack", "bargain",
      ]),
    Theme(
      name: "vintage",
      words: [
        "retro", "vintage", "classic", "heritage", "old-school", "mid-century", "antique-finish", "timeless",
        "nostalgic", "distressed", "art deco", "throwback",
      ]),
  ]

  static let leafCategories: [LeafCategory] = [
    LeafCategory(
      name: "sneakers", top: "fashion", nouns: ["sneakers", "running shoes", "trainers", "high-tops", "slip-ons"],
      attributes: ["low-profile", "cushioned-sole", "lace-up", "white"]),
    LeafCategory(
      name: "jackets", top: "fashion", nouns: ["jacket", "parka", "windbreaker", "rain shell", "puffer coat"],
      attributes: ["hooded", "zip-up", "insulated", "navy"]),
    LeafCategory(
      name: "bags", top: "fashion", nouns: ["backpack", "tote bag", "duffel", "crossbody bag", "daypack"],
      attributes: ["20-liter", "padded", "roll-top", "black"]),
    LeafCategory(
      name: "headphones", top: "electronics", nouns: ["headphones", "earbuds", "headset", "earphones"],
      attributes: ["noise-cancelling", "over-ear", "30-hour battery", "in-ear"]),
    LeafCategory(
      name: "speakers", top: "electronics", nouns: ["speaker", "soundbar", "boombox", "subwoofer"],
      attributes: ["stereo", "bass-boosted", "360-degree", "splash-proof"]),
    LeafCategory(
      name: "cameras", top: "electronics", nouns: ["camera", "action cam", "dashcam", "instant camera", "webcam"],
      attributes: ["4K", "wide-angle", "image-stabilized", "24-megapixel"]),
    LeafCategory(
      name: "sofas", top: "home", nouns: ["sofa", "loveseat", "sectional", "armchair", "futon"],
      attributes: ["three-seat", "velvet", "linen", "oak-legged"]),
    LeafCategory(
      name: "lighting", top: "home", nouns: ["lamp", "floor lamp", "pendant light", "lantern", "string lights"],
      attributes: ["dimmable", "LED", "warm white", "brass"]),
    LeafCategory(
      name: "bedding", top: "home", nouns: ["duvet", "pillow", "throw blanket", "sheet set", "mattress topper"],
      attributes: ["queen", "king-size", "cotton", "hypoallergenic"]),
    LeafCategory(
      name: "skincare", top: "beauty", nouns: ["serum", "moisturizer", "face cream", "cleanser", "sunscreen"],
      attributes: ["SPF 50", "fragrance-free", "hydrating", "vitamin C"]),
    LeafCategory(
      name: "haircare", top: "beauty", nouns: ["shampoo", "conditioner", "hair oil", "hair mask", "hairbrush"],
      attributes: ["sulfate-free", "argan", "volumizing", "for curly hair"]),
    LeafCategory(
      name: "racquet-sports", top: "sports",
      nouns: ["tennis racket", "badminton set", "pickleball paddle", "squash racket"],
      attributes: ["graphite", "mid-size grip", "tournament", "strung"]),
    LeafCategory(
      name: "yoga", top: "sports", nouns: ["yoga mat", "yoga block", "resistance bands", "foam roller", "yoga strap"],
      attributes: ["non-slip", "6 mm", "extra-thick", "two-tone"]),
    LeafCategory(
      name: "cycling", top: "sports", nouns: ["bike", "bike helmet", "bike light", "cycling gloves", "saddle bag"],
      attributes: ["21-speed", "aluminum-frame", "gel-padded", "reflective"]),
    LeafCategory(
      name: "camping-gear", top: "outdoors", nouns: ["tent", "sleeping bag", "camp stove", "headlamp", "hammock"],
      attributes: ["2-person", "three-season", "ultralight", "with carry bag"]),
    LeafCategory(
      name: "building-toys", top: "toys",
      nouns: ["building blocks", "construction set", "robot kit", "marble run", "magnetic tiles"],
      attributes: ["200-piece", "STEM", "ages 6+", "motorized"]),
    LeafCategory(
      name: "puzzles", top: "toys", nouns: ["jigsaw puzzle", "puzzle cube", "board game", "card game", "brain teaser"],
      attributes: ["1000-piece", "family", "strategy", "travel edition"]),
    LeafCategory(
      name: "cookware", top: "kitchen", nouns: ["frying pan", "saucepan", "Dutch oven", "wok", "skillet"],
      attributes: ["nonstick", "cast iron", "stainless steel", "induction-ready"]),
    LeafCategory(
      name: "coffee", top: "kitchen",
      nouns: ["coffee maker", "espresso machine", "French press", "coffee grinder", "pour-over kettle"],
      attributes: ["12-cup", "burr", "programmable", "matte black"]),
    LeafCategory(
      name: "pantry", top: "grocery", nouns: ["olive oil", "pasta", "granola", "dark chocolate", "green tea"],
      attributes: ["extra virgin", "whole grain", "gluten-free", "70% cocoa"]),
    LeafCategory(
      name: "books", top: "media", nouns: ["novel", "cookbook", "travel guide", "comic book", "notebook"],
      attributes: ["hardcover", "paperback", "illustrated", "bestselling"]),
    LeafCategory(
      name: "garden-tools", top: "garden",
      nouns: ["garden hose", "pruning shears", "shovel", "planter", "wheelbarrow"],
      attributes: ["expandable", "ergonomic", "rust-proof", "heavy-duty"]),
    LeafCategory(
      name: "pet-supplies", top: "pets", nouns: ["dog bed", "cat tree", "dog leash", "pet carrier", "chew toy"],
      attributes: ["machine-washable", "medium", "orthopedic", "tangle-free"]),
    LeafCategory(
      name: "car-accessories", top: "automotive",
      nouns: ["phone mount", "seat cover", "floor mats", "tire inflator", "car vacuum"],
      attributes: ["universal fit", "12V", "all-season", "magnetic"]),
    LeafCategory(
      name: "watches", top: "fashion", nouns: ["watch", "smartwatch", "fitness tracker", "chronograph", "watch strap"],
      attributes: ["sapphire glass", "40 mm", "water-resistant", "steel bracelet"]),
    LeafCategory(
      name: "luggage", top: "travel",
      nouns: ["suitcase", "garment bag", "packing cubes", "toiletry bag", "travel pillow"],
      attributes: ["hard-shell", "spinner", "expandable", "lockable"]),
  ]

  /// Ad-line openers and calls to action; a creative is "<opener> <title words> — <call>".
  static let adOpeners = [
    "New:", "Just in:", "Meet the", "Discover the", "Introducing the", "Upgrade to the", "Save on the", "Try the",
  ]
  static let adCalls = [
    "shop now", "free shipping", "limited stock", "order today", "see the collection", "while supplies last",
    "get yours", "free returns",
  ]

  /// The distinct words and phrases of the vocabulary (themes, nouns, attributes), for counting and checks.
  static var allEntries: Set<String> {
    var entries = Set<String>()
    for theme in themes { entries.formUnion(theme.words) }
    for leaf in leafCategories {
      entries.formUnion(leaf.nouns)
      entries.formUnion(leaf.attributes)
    }
    return entries
  }
}
