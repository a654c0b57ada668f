package rules

// Questionnaire is the JSON of `stackfit questionnaire` and GET /api/v1/questionnaire.
type Questionnaire struct {
	Ruleset  string    `json:"ruleset"`
	Sections []Section `json:"sections"`
}

// Catalogue is the JSON of `stackfit criteria` and GET /api/v1/criteria.
type Catalogue struct {
	Ruleset  string      `json:"ruleset"`
	Criteria []Criterion `json:"criteria"`
	// Topics name what the criteria's topic ids stand for; each counts once per side.
	Topics []Topic `json:"topics"`
}

func (rs *Ruleset) Questionnaire() Questionnaire {
	return Questionnaire{Ruleset: rs.Version, Sections: rs.Sections}
}

func (rs *Ruleset) Catalogue() Catalogue {
	return Catalogue{Ruleset: rs.Version, Criteria: rs.Criteria, Topics: rs.Topics}
}
