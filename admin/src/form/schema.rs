//! The settings document's JSON Schema, as utoipa 5 writes it (OpenAPI 3.1 dialect),
//! boiled down to what the form can draw: `$ref`s followed, both spellings of nullable
//! (`type: [T, "null"]`, `oneOf: [{"type": "null"}, T]`), `allOf` wrappers merged,
//! string enums and internally tagged enums recognised, and everything else left to a
//! JSON text box. Pure, so it is checked by native tests.

use serde_json::{Map, Value};

use super::path::{Path, Step};

/// How deep `$ref`s and combinators are followed before a schema counts as unreadable
/// (a recursive schema stops here instead of looping).
const MAX_DEPTH: usize = 32;

/// The schema of a whole document and the named schemas its `$ref`s point at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schemas {
    root: Value,
    components: Value,
}

/// A schema resolved into what the form draws for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The kind of input.
    pub kind: Kind,
    /// Whether `null` is allowed (the field can be unset).
    pub nullable: bool,
    /// The help text: the doc comment of the field or of its type.
    pub description: Option<String>,
    /// The schema's `default`, when it gives one.
    pub default: Option<Value>,
    /// An example value, as text (`examples` or `example`), for a placeholder.
    pub example: Option<String>,
}

/// The kinds of input the form knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// An object with named properties.
    Object(Vec<Property>),
    /// An object of free keys, each value with this schema.
    Map(Value),
    /// A list whose items have this schema.
    Array(Value),
    /// A text.
    Text,
    /// A whole number.
    Integer {
        /// The smallest allowed, if said.
        minimum: Option<i64>,
    },
    /// A number with decimals.
    Number {
        /// The smallest allowed, if said.
        minimum: Option<f64>,
    },
    /// Yes or no.
    Boolean,
    /// One of a few texts.
    Choice(Vec<Choice>),
    /// Objects of several variants told apart by the value of the property `tag`.
    Tagged {
        /// The discriminating property.
        tag: String,
        /// The variants, in the schema's order.
        variants: Vec<Variant>,
    },
    /// Anything else: edited as JSON text.
    Json,
}

/// A property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Its key.
    pub name: String,
    /// Its schema, unresolved.
    pub schema: Value,
    /// Whether the key must be present.
    pub required: bool,
}

/// An option of a [`Kind::Choice`].
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The value written.
    pub value: String,
    /// What it means, when the schema says.
    pub description: Option<String>,
}

/// A variant of a [`Kind::Tagged`].
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The discriminator's value.
    pub value: String,
    /// What it means, when the schema says.
    pub description: Option<String>,
    /// Its properties, the discriminator included.
    pub properties: Vec<Property>,
}

impl Node {
    fn json() -> Node {
        Node {
            kind: Kind::Json,
            nullable: false,
            description: None,
            default: None,
            example: None,
        }
    }

    /// The variant of a tagged node that `value` is, by its discriminator.
    pub fn variant_of<'a>(&'a self, value: &Value) -> Option<&'a Variant> {
        let Kind::Tagged { tag, variants } = &self.kind else {
            return None;
        };
        let chosen = value.get(tag)?.as_str()?;
        variants.iter().find(|variant| variant.value == chosen)
    }
}

impl Schemas {
    /// Reads `{"root": <schema>, "components": {<name>: <schema>}}` (a `components`
    /// holding `schemas`, as in an OpenAPI document, is read too).
    pub fn new(schema: &Value) -> Schemas {
        Schemas {
            root: schema.get("root").cloned().unwrap_or(Value::Null),
            components: schema.get("components").cloned().unwrap_or(Value::Null),
        }
    }

    /// The schema of the whole document.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The schema of the top-level section `name` (a schema accepting anything when
    /// the root does not list it).
    pub fn section(&self, name: &str) -> Value {
        match self.resolve(&self.root).kind {
            Kind::Object(properties) => properties
                .into_iter()
                .find(|property| property.name == name)
                .map_or(Value::Bool(true), |property| property.schema),
            _ => Value::Bool(true),
        }
    }

    /// The named schema of `reference` (`#/components/schemas/Name`).
    fn lookup(&self, reference: &str) -> Option<&Value> {
        let name = reference.rsplit('/').next()?;
        self.components
            .get(name)
            .or_else(|| self.components.get("schemas")?.get(name))
    }

    /// What the form draws for `schema`.
    pub fn resolve(&self, schema: &Value) -> Node {
        self.resolve_at(schema, 0)
    }

    fn resolve_at(&self, schema: &Value, depth: usize) -> Node {
        let Some(object) = schema.as_object().filter(|_| depth < MAX_DEPTH) else {
            return Node::json();
        };
        let description = object
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let default = object.get("default").cloned();
        let example = object
            .get("examples")
            .and_then(|examples| examples.get(0))
            .or_else(|| object.get("example"))
            .and_then(|example| match example {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            });
        let mut node = self.resolve_shape(object, depth);
        // The outer description is the field's own; the inner one is its type's.
        if description.is_some() {
            node.description = description;
        }
        if default.is_some() {
            node.default = default;
        }
        if example.is_some() {
            node.example = example;
        }
        node
    }

    fn resolve_shape(&self, object: &Map<String, Value>, depth: usize) -> Node {
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            return match self.lookup(reference) {
                Some(target) => self.resolve_at(target, depth + 1),
                None => Node::json(),
            };
        }
        if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
            return self.all_of(parts, depth);
        }
        if let Some(parts) = object
            .get("oneOf")
            .or_else(|| object.get("anyOf"))
            .and_then(Value::as_array)
        {
            return self.one_of(parts, depth);
        }
        let (types, nullable) = types(object);
        if let Some(values) = object.get("enum").and_then(Value::as_array) {
            let null = values.iter().any(Value::is_null);
            let texts: Option<Vec<Choice>> = values
                .iter()
                .filter(|value| !value.is_null())
                .map(|value| {
                    value.as_str().map(|text| Choice {
                        value: text.to_owned(),
                        description: None,
                    })
                })
                .collect();
            return match texts {
                Some(choices) if !choices.is_empty() => {
                    plain(Kind::Choice(choices), nullable || null)
                }
                _ => Node::json(),
            };
        }
        if let Some(text) = object.get("const").and_then(Value::as_str) {
            let choice = Choice {
                value: text.to_owned(),
                description: None,
            };
            return plain(Kind::Choice(vec![choice]), nullable);
        }
        let kind = match types.as_slice() {
            [] if object.contains_key("properties") => self.object(object),
            [] if object.contains_key("items") => array(object),
            [one] => match one.as_str() {
                "object" => self.object(object),
                "array" => array(object),
                "string" => Kind::Text,
                "integer" => Kind::Integer {
                    minimum: object.get("minimum").and_then(Value::as_i64),
                },
                "number" => Kind::Number {
                    minimum: object.get("minimum").and_then(Value::as_f64),
                },
                "boolean" => Kind::Boolean,
                _ => Kind::Json,
            },
            _ => Kind::Json,
        };
        plain(kind, nullable)
    }

    fn object(&self, object: &Map<String, Value>) -> Kind {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match object.get("properties").and_then(Value::as_object) {
            Some(properties) => Kind::Object(ordered(
                properties
                    .iter()
                    .map(|(name, schema)| Property {
                        name: name.clone(),
                        schema: schema.clone(),
                        required: required.contains(&name.as_str()),
                    })
                    .collect(),
            )),
            None => match object.get("additionalProperties") {
                Some(values @ Value::Object(_)) => Kind::Map(values.clone()),
                _ => Kind::Json,
            },
        }
    }

    /// `allOf`: utoipa wraps a described `$ref` in a one-member `allOf`; several
    /// members that are all objects are merged into one object.
    fn all_of(&self, parts: &[Value], depth: usize) -> Node {
        if let [only] = parts {
            return self.resolve_at(only, depth + 1);
        }
        let mut merged: Vec<Property> = Vec::new();
        let mut description = None;
        for part in parts {
            let node = self.resolve_at(part, depth + 1);
            let Kind::Object(properties) = node.kind else {
                return Node::json();
            };
            description = description.or(node.description);
            for property in properties {
                match merged.iter_mut().find(|known| known.name == property.name) {
                    Some(known) => known.required |= property.required,
                    None => merged.push(property),
                }
            }
        }
        Node {
            description,
            ..plain(Kind::Object(ordered(merged)), false)
        }
    }

    /// `oneOf`/`anyOf`: a null member makes the rest nullable; one member left is that
    /// member; single-text members are a choice; objects with a common discriminator
    /// are a tagged enum; anything else is JSON.
    fn one_of(&self, parts: &[Value], depth: usize) -> Node {
        let is_null = |part: &Value| part.get("type").and_then(Value::as_str) == Some("null");
        let nullable = parts.iter().any(is_null);
        let members: Vec<Node> = parts
            .iter()
            .filter(|part| !is_null(part))
            .map(|part| self.resolve_at(part, depth + 1))
            .collect();
        if let [only] = members.as_slice() {
            let mut node = only.clone();
            node.nullable |= nullable;
            return node;
        }
        let choices: Option<Vec<Choice>> = members
            .iter()
            .map(|member| match &member.kind {
                Kind::Choice(choices) if choices.len() == 1 => Some(Choice {
                    value: choices[0].value.clone(),
                    description: member.description.clone(),
                }),
                _ => None,
            })
            .collect();
        if let Some(choices) = choices.filter(|choices| !choices.is_empty()) {
            return plain(Kind::Choice(choices), nullable);
        }
        match self.tagged(&members) {
            Some(kind) => plain(kind, nullable),
            None => Node {
                nullable,
                ..Node::json()
            },
        }
    }

    fn tagged(&self, members: &[Node]) -> Option<Kind> {
        let objects: Vec<(&Vec<Property>, &Option<String>)> = members
            .iter()
            .map(|member| match &member.kind {
                Kind::Object(properties) => Some((properties, &member.description)),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let (first, _) = objects.first()?;
        first.iter().find_map(|candidate| {
            let mut variants = Vec::with_capacity(objects.len());
            for (properties, description) in &objects {
                let property = properties
                    .iter()
                    .find(|property| property.name == candidate.name)?;
                let Kind::Choice(choices) = self.resolve(&property.schema).kind else {
                    return None;
                };
                let [choice] = choices.as_slice() else {
                    return None;
                };
                if variants
                    .iter()
                    .any(|known: &Variant| known.value == choice.value)
                {
                    return None;
                }
                variants.push(Variant {
                    value: choice.value.clone(),
                    description: (*description).clone(),
                    properties: (*properties).clone(),
                });
            }
            Some(Kind::Tagged {
                tag: candidate.name.clone(),
                variants,
            })
        })
    }

    /// A new value for `schema`, for an "Add" button: its `default`, or an object with
    /// its required fields filled with empty or zero values (the server's validation
    /// then says what is still missing).
    pub fn new_value(&self, schema: &Value) -> Value {
        self.new_value_at(schema, 0)
    }

    fn new_value_at(&self, schema: &Value, depth: usize) -> Value {
        let node = self.resolve(schema);
        if let Some(default) = node.default.clone().filter(|value| !value.is_null()) {
            return default;
        }
        if depth >= MAX_DEPTH {
            return Value::Null;
        }
        let fill = |properties: &[Property]| {
            let mut object = Map::new();
            for property in properties.iter().filter(|property| property.required) {
                let value = if self.resolve(&property.schema).nullable {
                    Value::Null
                } else {
                    self.new_value_at(&property.schema, depth + 1)
                };
                object.insert(property.name.clone(), value);
            }
            object
        };
        match &node.kind {
            Kind::Object(properties) => Value::Object(fill(properties)),
            Kind::Map(_) => Value::Object(Map::new()),
            Kind::Array(_) => Value::Array(Vec::new()),
            Kind::Text => Value::String(String::new()),
            Kind::Integer { minimum } => Value::from(minimum.unwrap_or(0).max(0)),
            Kind::Number { minimum } => Value::from(minimum.unwrap_or(0.0).max(0.0)),
            Kind::Boolean => Value::Bool(false),
            Kind::Choice(choices) => choices
                .first()
                .map_or(Value::Null, |choice| Value::String(choice.value.clone())),
            Kind::Tagged { tag, variants } => match variants.first() {
                Some(variant) => {
                    let mut object = fill(&variant.properties);
                    object.insert(tag.clone(), Value::String(variant.value.clone()));
                    Value::Object(object)
                }
                None => Value::Null,
            },
            Kind::Json => Value::Null,
        }
    }

    /// The field the form draws for an error at `path` in `document`: the path
    /// itself, or its nearest ancestor when the form stops earlier (a JSON box, an
    /// item that is not there, a key the schema does not know).
    pub fn rendered(&self, document: &Value, path: &Path) -> Path {
        let mut schema = self.root.clone();
        let mut done = Path::root();
        for step in &path.0 {
            let node = self.resolve(&schema);
            let here = done.get(document).filter(|value| !value.is_null());
            // An absent value draws no fields inside it, only its own "Set" (the
            // top level draws every section, set up or not).
            if here.is_none() && !done.0.is_empty() {
                break;
            }
            let next = match (&node.kind, step) {
                (Kind::Object(properties), Step::Key(key)) => properties
                    .iter()
                    .find(|property| &property.name == key)
                    .map(|property| property.schema.clone()),
                (Kind::Map(values), Step::Key(key)) => {
                    here.and_then(|here| here.get(key)).map(|_| values.clone())
                }
                (Kind::Array(items), Step::Index(index)) => {
                    here.and_then(|here| here.get(index)).map(|_| items.clone())
                }
                (Kind::Tagged { tag, .. }, Step::Key(key)) if key != tag => here
                    .and_then(|here| node.variant_of(here))
                    .and_then(|variant| {
                        variant
                            .properties
                            .iter()
                            .find(|property| &property.name == key)
                    })
                    .map(|property| property.schema.clone()),
                _ => None,
            };
            let Some(next) = next else { break };
            done.0.push(step.clone());
            schema = next;
        }
        done
    }
}

/// The `type` of a schema without `null`, and whether `null` was among them.
fn types(object: &Map<String, Value>) -> (Vec<String>, bool) {
    match object.get("type") {
        Some(Value::String(one)) if one == "null" => (Vec::new(), true),
        Some(Value::String(one)) => (vec![one.clone()], false),
        Some(Value::Array(many)) => {
            let names: Vec<&str> = many.iter().filter_map(Value::as_str).collect();
            let nullable = names.contains(&"null");
            let rest = names
                .into_iter()
                .filter(|name| *name != "null")
                .map(str::to_owned)
                .collect();
            (rest, nullable)
        }
        _ => (Vec::new(), false),
    }
}

fn array(object: &Map<String, Value>) -> Kind {
    match object.get("items") {
        Some(items @ Value::Object(_)) => Kind::Array(items.clone()),
        _ => Kind::Json,
    }
}

fn plain(kind: Kind, nullable: bool) -> Node {
    Node {
        kind,
        nullable,
        description: None,
        default: None,
        example: None,
    }
}

/// Properties in the order a person reads them: the English text before the
/// translations, ids and names first, then required fields, then optional ones (the
/// schema's own order is lost: its properties arrive as a sorted map).
fn ordered(mut properties: Vec<Property>) -> Vec<Property> {
    let rank = |property: &Property| match property.name.as_str() {
        "en" | "id" => 0,
        "zh-Hans" | "name" | "title" => 1,
        "zh-Hant" => 2,
        _ if property.required => 3,
        _ => 4,
    };
    properties.sort_by_key(|property| rank(property));
    properties
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Schemas in the shapes utoipa 5 writes for the configuration's types.
    fn schemas() -> Schemas {
        Schemas::new(&json!({
            "root": {
                "type": "object",
                "properties": {
                    "loyalty": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Loyalty"}]},
                    "help": {"allOf": [{"$ref": "#/components/schemas/Help"}], "description": "The help centre."}
                }
            },
            "components": {
                "Loyalty": {
                    "type": "object",
                    "description": "The points programme.",
                    "required": ["code_prefix"],
                    "properties": {
                        "points_per_unit": {"type": "integer", "format": "int64", "minimum": 1, "description": "Points per unit."},
                        "code_prefix": {"type": "string"},
                        "points_expire_after_days": {"type": ["integer", "null"], "format": "int64"},
                        "tier_basis": {"$ref": "#/components/schemas/TierBasis", "description": "What thresholds measure."},
                        "rewards": {"type": "array", "items": {"$ref": "#/components/schemas/Reward"}},
                        "birthday_name": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Text"}]}
                    }
                },
                "TierBasis": {"type": "string", "enum": ["points_earned", "money_spent"]},
                "Text": {
                    "type": "object",
                    "required": ["en"],
                    "properties": {
                        "en": {"type": "string"},
                        "zh-Hans": {"type": ["string", "null"]},
                        "zh-Hant": {"type": ["string", "null"]}
                    }
                },
                "Reward": {
                    "type": "object",
                    "required": ["id", "cost", "kind"],
                    "properties": {
                        "id": {"type": "string"},
                        "cost": {"type": "integer", "format": "int64"},
                        "kind": {"$ref": "#/components/schemas/RewardKind"},
                        "name": {"$ref": "#/components/schemas/Text"}
                    }
                },
                "RewardKind": {
                    "oneOf": [
                        {
                            "type": "object",
                            "description": "An amount off.",
                            "required": ["kind", "amount"],
                            "properties": {
                                "kind": {"type": "string", "enum": ["fixed_amount"]},
                                "amount": {"type": "integer", "format": "int64"}
                            }
                        },
                        {
                            "allOf": [
                                {"$ref": "#/components/schemas/Percent"},
                                {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["percentage"]}}}
                            ]
                        }
                    ]
                },
                "Percent": {
                    "type": "object",
                    "required": ["percent"],
                    "properties": {"percent": {"type": "number", "format": "double"}}
                },
                "Help": {
                    "type": "object",
                    "description": "Help.",
                    "properties": {
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                        "body": {"type": "string", "description": "The answer, in Markdown."},
                        "anything": {},
                        "mixed": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
                    }
                },
                "Loop": {"$ref": "#/components/schemas/Loop"},
                "Unit": {
                    "oneOf": [
                        {"type": "string", "enum": ["daily"], "description": "Every day."},
                        {"type": "string", "const": "weekly"}
                    ]
                }
            }
        }))
    }

    fn property(node: &Node, name: &str) -> Value {
        match &node.kind {
            Kind::Object(properties) => properties
                .iter()
                .find(|property| property.name == name)
                .unwrap()
                .schema
                .clone(),
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn refs_are_followed_and_nullable_is_read_in_both_forms() {
        let schemas = schemas();
        let loyalty = schemas.resolve(&schemas.section("loyalty"));
        assert!(loyalty.nullable, "oneOf with a null member");
        assert_eq!(
            loyalty.description.as_deref(),
            Some("The points programme.")
        );
        let Kind::Object(properties) = &loyalty.kind else {
            panic!("{loyalty:?}")
        };
        let required: Vec<&str> = properties
            .iter()
            .filter(|property| property.required)
            .map(|property| property.name.as_str())
            .collect();
        assert_eq!(required, ["code_prefix"]);

        let expire = schemas.resolve(&property(&loyalty, "points_expire_after_days"));
        assert_eq!(expire.kind, Kind::Integer { minimum: None });
        assert!(expire.nullable, "type [integer, null]");

        let per_unit = schemas.resolve(&property(&loyalty, "points_per_unit"));
        assert_eq!(per_unit.kind, Kind::Integer { minimum: Some(1) });
        assert!(!per_unit.nullable);

        let name = schemas.resolve(&property(&loyalty, "birthday_name"));
        assert!(name.nullable);
        let Kind::Object(text) = &name.kind else {
            panic!("{name:?}")
        };
        let order: Vec<&str> = text.iter().map(|property| property.name.as_str()).collect();
        assert_eq!(order, ["en", "zh-Hans", "zh-Hant"], "English first");
    }

    #[test]
    fn single_all_of_and_described_refs_keep_the_fields_description() {
        let schemas = schemas();
        let help = schemas.resolve(&schemas.section("help"));
        assert_eq!(help.description.as_deref(), Some("The help centre."));
        assert!(matches!(help.kind, Kind::Object(_)));
        let loyalty = schemas.resolve(&schemas.section("loyalty"));
        let basis = schemas.resolve(&property(&loyalty, "tier_basis"));
        assert_eq!(
            basis.description.as_deref(),
            Some("What thresholds measure.")
        );
        let date = json!({"type": "string", "format": "date", "examples": ["2027-03-01"]});
        let described = json!({"allOf": [date], "description": "Until when."});
        assert_eq!(
            schemas.resolve(&described).example.as_deref(),
            Some("2027-03-01"),
            "the type's example stays under the field's description"
        );
    }

    #[test]
    fn enums_maps_and_arrays() {
        let schemas = schemas();
        let loyalty = schemas.resolve(&schemas.section("loyalty"));
        let basis = schemas.resolve(&property(&loyalty, "tier_basis"));
        let Kind::Choice(choices) = &basis.kind else {
            panic!("{basis:?}")
        };
        let values: Vec<&str> = choices.iter().map(|choice| choice.value.as_str()).collect();
        assert_eq!(values, ["points_earned", "money_spent"]);

        let unit = schemas.resolve(&json!({"$ref": "#/components/schemas/Unit"}));
        let Kind::Choice(choices) = &unit.kind else {
            panic!("{unit:?}")
        };
        assert_eq!(choices[0].value, "daily");
        assert_eq!(choices[0].description.as_deref(), Some("Every day."));
        assert_eq!(choices[1].value, "weekly");

        let help = schemas.resolve(&schemas.section("help"));
        let labels = schemas.resolve(&property(&help, "labels"));
        assert_eq!(labels.kind, Kind::Map(json!({"type": "string"})));

        let rewards = schemas.resolve(&property(&loyalty, "rewards"));
        assert_eq!(
            rewards.kind,
            Kind::Array(json!({"$ref": "#/components/schemas/Reward"}))
        );
    }

    #[test]
    fn tagged_one_of_finds_its_discriminator_through_all_of() {
        let schemas = schemas();
        let kind = schemas.resolve(&json!({"$ref": "#/components/schemas/RewardKind"}));
        let Kind::Tagged { tag, variants } = &kind.kind else {
            panic!("{kind:?}")
        };
        assert_eq!(tag, "kind");
        let values: Vec<&str> = variants
            .iter()
            .map(|variant| variant.value.as_str())
            .collect();
        assert_eq!(values, ["fixed_amount", "percentage"]);
        assert_eq!(variants[0].description.as_deref(), Some("An amount off."));
        let mut merged: Vec<(&str, bool)> = variants[1]
            .properties
            .iter()
            .map(|property| (property.name.as_str(), property.required))
            .collect();
        merged.sort();
        assert_eq!(
            merged,
            [("kind", true), ("percent", true)],
            "allOf members merged"
        );
        assert_eq!(
            kind.variant_of(&json!({"kind": "percentage", "percent": 10.0}))
                .map(|variant| variant.value.as_str()),
            Some("percentage")
        );
        assert_eq!(kind.variant_of(&json!({"kind": "other"})), None);
    }

    #[test]
    fn what_cannot_be_drawn_falls_back_to_json() {
        let schemas = schemas();
        let help = schemas.resolve(&schemas.section("help"));
        assert_eq!(
            schemas.resolve(&property(&help, "anything")).kind,
            Kind::Json
        );
        assert_eq!(schemas.resolve(&property(&help, "mixed")).kind, Kind::Json);
        assert_eq!(
            schemas
                .resolve(&json!({"$ref": "#/components/schemas/Missing"}))
                .kind,
            Kind::Json
        );
        assert_eq!(
            schemas
                .resolve(&json!({"$ref": "#/components/schemas/Loop"}))
                .kind,
            Kind::Json,
            "a reference to itself stops"
        );
        assert_eq!(schemas.section("nowhere"), Value::Bool(true));
        assert_eq!(schemas.resolve(&Value::Bool(true)).kind, Kind::Json);
    }

    #[test]
    fn new_values_fill_required_fields_with_empty_defaults() {
        let schemas = schemas();
        assert_eq!(
            schemas.new_value(&schemas.section("loyalty")),
            json!({"code_prefix": ""})
        );
        assert_eq!(
            schemas.new_value(&json!({"$ref": "#/components/schemas/Reward"})),
            json!({"id": "", "cost": 0, "kind": {"kind": "fixed_amount", "amount": 0}})
        );
        assert_eq!(
            schemas.new_value(&json!({"type": "integer", "minimum": 5})),
            json!(5)
        );
        assert_eq!(
            schemas.new_value(&json!({"type": "boolean", "default": true})),
            json!(true)
        );
        assert_eq!(
            schemas.new_value(&json!({"type": "object", "required": ["a"], "properties": {"a": {"type": ["string", "null"]}}})),
            json!({"a": null})
        );
        assert_eq!(
            schemas.new_value(&json!({"$ref": "#/components/schemas/TierBasis"})),
            json!("points_earned")
        );
        assert_eq!(schemas.new_value(&schemas.section("help")), json!({}));
    }

    #[test]
    fn an_error_lands_on_the_nearest_field_drawn() {
        let schemas = schemas();
        let doc = json!({
            "loyalty": {
                "code_prefix": "",
                "rewards": [{"id": "r", "cost": 0, "kind": {"kind": "percentage", "percent": 200.0}}]
            },
            "help": {"labels": {"a": "b"}, "anything": {"deep": [1]}}
        });
        let at = |text: &str| {
            schemas
                .rendered(&doc, &Path::parse(text).unwrap())
                .to_string()
        };
        assert_eq!(at("loyalty.rewards[0].cost"), "loyalty.rewards[0].cost");
        assert_eq!(
            at("loyalty.rewards[0].kind.percent"),
            "loyalty.rewards[0].kind.percent"
        );
        assert_eq!(
            at("loyalty.rewards[0].kind.kind"),
            "loyalty.rewards[0].kind"
        );
        assert_eq!(
            at("loyalty.rewards[3].cost"),
            "loyalty.rewards",
            "no such item"
        );
        assert_eq!(at("loyalty.nonsense.deeper"), "loyalty");
        assert_eq!(
            at("help.anything.deep[0]"),
            "help.anything",
            "inside a JSON box"
        );
        assert_eq!(at("help.labels.a"), "help.labels.a");
        assert_eq!(at("help.labels.z"), "help.labels");
        assert_eq!(at("loyalty"), "loyalty");
        assert_eq!(
            at("loyalty.birthday_name.en"),
            "loyalty.birthday_name",
            "not set"
        );
        assert_eq!(at("referrals.advocate_points"), "", "not in the schema");
        let empty = json!({});
        let help = Path::parse("help.labels.a").unwrap();
        assert_eq!(
            schemas.rendered(&empty, &help).to_string(),
            "help",
            "not set up"
        );
        assert_eq!(
            at("loyalty.points_expire_after_days"),
            "loyalty.points_expire_after_days"
        );
    }

    /// Every kind the form meets in `schema`, by path, to the depth a person edits.
    fn walk(schemas: &Schemas, schema: &Value, path: String, depth: usize, out: &mut Vec<String>) {
        if depth > 12 {
            return;
        }
        let node = schemas.resolve(schema);
        match &node.kind {
            Kind::Object(properties) => {
                for property in properties {
                    let path = format!("{path}.{}", property.name);
                    walk(schemas, &property.schema, path, depth + 1, out);
                }
            }
            Kind::Map(values) => walk(schemas, values, format!("{path}.<key>"), depth + 1, out),
            Kind::Array(items) => walk(schemas, items, format!("{path}[]"), depth + 1, out),
            Kind::Tagged { variants, .. } => {
                for variant in variants {
                    for property in &variant.properties {
                        let path = format!("{path}<{}>.{}", variant.value, property.name);
                        walk(schemas, &property.schema, path, depth + 1, out);
                    }
                }
            }
            Kind::Json => out.push(path),
            _ => {}
        }
    }

    /// The schema the server answered for the demo shop (utoipa 5, this release): a
    /// change of utoipa's shapes that the form no longer understands shows up here.
    #[test]
    fn the_demo_shops_schema_is_drawn_without_a_json_box() {
        let schema: Value =
            serde_json::from_str(include_str!("testdata/demo-schema.json")).unwrap();
        let schemas = Schemas::new(&schema);
        let mut json_boxes = Vec::new();
        walk(&schemas, schemas.root(), String::new(), 0, &mut json_boxes);
        assert!(json_boxes.is_empty(), "drawn as JSON: {json_boxes:?}");
        for section in comeback_core::settings::SECTIONS {
            let fresh = schemas.new_value(&schemas.section(section));
            assert!(fresh.is_object() || fresh.is_array(), "{section}: {fresh}");
        }
        let loyalty = schemas.resolve(&schemas.section("loyalty"));
        assert!(loyalty.nullable && matches!(loyalty.kind, Kind::Object(_)));
    }
}
