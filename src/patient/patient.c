#include "mnsim/patient.h"

#include <math.h>

#include "mnsim/device.h"

/* Site table at the reference age of 40 years.
 * Viable epidermis: cadaver histology of 39 facial subunits, 29.6-62.6 µm (Chopra 2015,
 * thickness_face_histology). Dermis: high-frequency ultrasound, women / men (Meng 2022,
 * thickness_forehead_us: forehead 0.86 / 1.17 mm, temple 0.80 / 1.06 mm); sites Meng did not
 * report are interpolated within Chopra's 759-1969 µm. Wrinkle depth, spacing and buckling
 * compression describe the site's representative wrinkle (crow's feet at the periorbital site,
 * horizontal lines on the forehead, ...), depths of the order profilometry reports for
 * moderate wrinkles (Lemperle 2001: grade 1 < 0.2 mm). */
typedef struct site_row {
    double stratum_corneum_um, epidermis_um, dermis_women_um, dermis_men_um;
    double wrinkle_um, spacing_mm;
} site_row;

static const site_row sites[MN_SITE_COUNT] = {
    [MN_SITE_FOREHEAD] = {15, 50, 860, 1170, 130, 4.0},
    [MN_SITE_GLABELLA] = {15, 52, 950, 1200, 160, 3.0},
    [MN_SITE_PERIORBITAL] = {12, 40, 800, 1060, 120, 2.5},
    [MN_SITE_CHEEK] = {15, 45, 1100, 1300, 70, 3.5},
    [MN_SITE_PERIORAL] = {15, 55, 1200, 1400, 100, 2.0},
    [MN_SITE_NECK] = {12, 40, 900, 1000, 110, 5.0},
};

static const double reference_age = 40.0;
static const double young_age = 25.0;

/* Minimal erythema dose by Fitzpatrick type, J/m² erythemally weighted (typical values of
 * phototesting; e.g. Fitzpatrick TB. Arch Dermatol 1988;124:869). */
static const double med_by_type[7] = {0, 200, 250, 350, 450, 600, 1000};

const char *mn_layer_name(mn_layer layer)
{
    static const char *names[MN_LAYER_COUNT] = {"stratum_corneum", "epidermis", "papillary",
                                                "reticular", "hypodermis"};
    return (layer >= 0 && layer < MN_LAYER_COUNT) ? names[layer] : "?";
}

double mn_patient_capacity_at_age(const mn_params *p, double age_years)
{
    double c = 1.0 - p->aging_synthesis_per_year * (age_years - young_age);
    return c > 0.05 ? c : 0.05;
}

double mn_patient_uv_dose(const mn_aftercare_spec *ac, const mn_params *p, double med_j_m2)
{
    /* UV index 1 = 25 mW/m² erythemally weighted = 90 J/m² per hour (WHO 2002, Global Solar
     * UV Index). Sunscreen is applied thinner than tested, so its real factor is SPF^q
     * (Faurschou & Wulf 2007, Br J Dermatol 156:716). */
    double dose_j = ac->uv_index * 90.0 * ac->sun_hours_per_day;
    double spf_real = pow(ac->sunscreen_spf, p->sunscreen_layer_exponent);
    double transmission = (1.0 - ac->sunscreen_adherence) + ac->sunscreen_adherence / spf_real;
    return dose_j * transmission / med_j_m2;
}

/* The deepest real needle tip of the course (µm from the surface): the skin deflects, so the
 * tip stops short of the nominal length (mn_device_penetration_fraction). */
static double deepest_tip_um(const mn_scenario *sc, const mn_params *p)
{
    double deepest = 0.0;
    for (int i = 0; i < sc->treatment.session_count; ++i) {
        const double mm = mn_scenario_session_needle_mm(sc, i);
        deepest =
            fmax(deepest, 1000.0 * mm * mn_device_penetration_fraction(sc->device.kind, mm, p));
    }
    return deepest;
}

int mn_patient_init(mn_patient *pt, const mn_scenario *sc, const mn_params *p, mn_error *err)
{
    if (!pt || !sc || !p)
        return mn_error_set(err, MN_EINVAL, "mn_patient_init: NULL argument");
    const mn_patient_spec *ps = &sc->patient;
    if (ps->site < 0 || ps->site >= MN_SITE_COUNT || ps->skin_type < 1 || ps->skin_type > 6)
        return mn_error_set(err, MN_ESCENARIO, "patient: invalid site or skin type");
    const site_row *row = &sites[ps->site];
    int male = ps->sex == MN_SEX_MALE;
    double decades = (ps->age_years - reference_age) / 10.0;
    /* Gerontology 1990 (aging_*): epidermis -5.7 (women) / -7.2 (men) %, dermis -6 % a decade. */
    double epi_rate = male ? p->aging_epidermis_men : p->aging_epidermis_women;
    double epi_factor = fmax(0.3, 1.0 - epi_rate * decades);
    double derm_factor = fmax(0.3, 1.0 - p->aging_dermis_per_decade * decades);
    double dermis_ref = male ? row->dermis_men_um : row->dermis_women_um;
    double dermis = dermis_ref * derm_factor;
    pt->dermis_young_um =
        dermis_ref * (1.0 - p->aging_dermis_per_decade * (young_age - reference_age) / 10.0);
    pt->layer_um[MN_LAYER_STRATUM_CORNEUM] = row->stratum_corneum_um;
    pt->layer_um[MN_LAYER_EPIDERMIS] = row->epidermis_um * epi_factor;
    /* Papillary dermis: a band of ~100-200 µm under the epidermis (docs/model.md §1), at most a
     * share of a thin dermis. */
    pt->layer_um[MN_LAYER_PAPILLARY] =
        fmin(p->papillary_thickness_um, p->papillary_max_fraction * dermis);
    pt->layer_um[MN_LAYER_RETICULAR] = dermis - pt->layer_um[MN_LAYER_PAPILLARY];
    /* The column reaches `hypodermis_below_tip_um` below the deepest real tip (and at least
     * that far into the hypodermis), so a needle that passes the dermis wounds fat, opens its
     * vessels and swells it instead of stopping at the end of the column: before, the column
     * ended 400 µm into the hypodermis and 2.0 and 2.5 mm needles gave identical courses. */
    const double hypodermis_top =
        pt->layer_um[MN_LAYER_STRATUM_CORNEUM] + pt->layer_um[MN_LAYER_EPIDERMIS] + dermis;
    pt->layer_um[MN_LAYER_HYPODERMIS] =
        p->hypodermis_below_tip_um + fmax(0.0, deepest_tip_um(sc, p) - hypodermis_top);

    /* Collagen density falls ~1 %/year of adult life (Shuster S et al. Br J Dermatol
     * 1975;93:639) and with each Glogau grade of photoaging (assumed per-grade loss); collagen
     * III and elastic fibres at their own (assumed) rates. The floors only guard. */
    double years = ps->age_years - young_age;
    int grade = ps->photoaging - 1;
    pt->collagen1_rel =
        fmax(0.2, 1.0 - p->aging_collagen1_per_year * years - p->photoaging_collagen_loss * grade);
    pt->collagen3_rel =
        fmax(0.2, 1.0 - p->aging_collagen3_per_year * years -
                      p->photoaging_collagen3_ratio * p->photoaging_collagen_loss * grade);
    pt->elastin_rel =
        fmax(0.2, 1.0 - p->aging_elastin_per_year * years - p->photoaging_elastin_loss * grade);
    pt->elastosis_rel = p->photoaging_elastosis * grade;
    pt->capacity =
        mn_patient_capacity_at_age(p, ps->age_years) * (ps->smoker ? p->smoker_synthesis : 1.0);
    pt->med_j_m2 = med_by_type[ps->skin_type];
    pt->uv_med_per_day = mn_patient_uv_dose(&sc->aftercare, p, pt->med_j_m2);
    mn_scenario habitual;
    mn_scenario_default(&habitual);
    pt->uv_habitual_med_per_day = mn_patient_uv_dose(&habitual.aftercare, p, pt->med_j_m2);

    /* The representative wrinkle deepens with age and photoaging; its buckling compression
     * ratio ε/ε_c rises with laxity (assumed; docs/model.md §Wrinkles). */
    double age_factor =
        fmax(0.3, 1.0 + p->wrinkle_depth_per_year * (ps->age_years - reference_age));
    double photo_factor = 1.0 + p->wrinkle_depth_per_grade * grade;
    pt->wrinkle_depth_um = row->wrinkle_um * age_factor * photo_factor;
    pt->wrinkle_spacing_mm = row->spacing_mm;
    /* The compression must stay above the critical strain (ratio > 1): the floor. */
    pt->wrinkle_compression =
        fmax(1.1, p->wrinkle_compression_base +
                      p->wrinkle_compression_per_year * (ps->age_years - reference_age) +
                      p->wrinkle_compression_per_grade * grade);
    /* Microrelief: 20-200 µm deep polygon pattern (Bibb 2006), flattening with age. */
    pt->microrelief_um =
        p->microrelief_depth_um * fmax(0.4, 1.0 - p->microrelief_flattening_per_year * years);
    return MN_OK;
}
