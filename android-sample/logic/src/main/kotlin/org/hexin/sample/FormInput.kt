package org.hexin.sample

import org.hexin.core.DocumentType
import org.hexin.core.Domain
import org.hexin.core.Fields
import org.hexin.core.Filing
import org.hexin.core.FilingType
import org.hexin.core.IdDocument
import org.hexin.core.Person
import org.hexin.core.SubjectFields
import org.hexin.core.SubjectKind
import org.hexin.core.Website

/** One person being entered; [id] is `p1`, `p2`, … in the order they were added. */
data class PersonInput(
    val id: String,
    val name: String = "",
    val document: DocumentType = DocumentType.RESIDENT_ID,
    val number: String = "",
    val validUntil: String = "",
    val phone: String = "",
    val emergencyPhone: String = "",
    val email: String = "",
    val legalRepresentative: Boolean = false,
)

/** One website being entered; [id] is `w1`, `w2`, …; [domains] comma-separated (`,` or `，`). */
data class WebsiteInput(val id: String, val name: String = "", val domains: String = "", val responsiblePerson: String = "p1")

/**
 * The filing form as typed, held by the screen's ViewModel (not by the composables, which lose
 * what they `remember` when a list scrolls them away or the camera replaces them). The first
 * person is the subject's responsible person (an individual's websites are run by them); a new
 * form's ids are `p1`, `w1`, as the draft's checklist assumes before the form is saved. Every
 * domain's registrant is declared as the subject.
 */
data class FormInput(
    val name: String = "",
    val creditCode: String = "",
    val legalRepresentative: String = "",
    val people: List<PersonInput> = listOf(PersonInput("p1")),
    val websites: List<WebsiteInput> = listOf(WebsiteInput("w1")),
) {
    fun withPerson(): FormInput = copy(people = people + PersonInput("p${people.size + 1}"))
    fun withWebsite(): FormInput = copy(websites = websites + WebsiteInput("w${websites.size + 1}"))
    fun person(id: String, change: (PersonInput) -> PersonInput) = copy(people = people.map { if (it.id == id) change(it) else it })
    fun website(id: String, change: (WebsiteInput) -> WebsiteInput) = copy(websites = websites.map { if (it.id == id) change(it) else it })

    /** The fields to save for a [subject] of this kind (a unit has a credit code and a legal representative). */
    fun toFields(subject: SubjectKind): Fields {
        val unit = subject != SubjectKind.INDIVIDUAL
        val first = people.first().id
        return Fields(
            Filing(FilingType.NEW, null),
            SubjectFields(name, creditCode.takeIf { unit }, legalRepresentative.takeIf { unit }, first),
            people.map { p ->
                Person(p.id, p.name, IdDocument(p.document, p.number, p.validUntil), p.phone, p.emergencyPhone.ifEmpty { null }, p.email, p.legalRepresentative.takeIf { unit })
            },
            websites.map { w ->
                val domains = w.domains.split(',', '，').map { it.trim() }.filter { it.isNotEmpty() }
                Website(w.id, w.name, domains.map { Domain(it, name) }, if (unit) w.responsiblePerson else first, null)
            },
        )
    }

    companion object {
        /** The form showing [fields] as saved in a draft (reopened after the app was killed). */
        fun of(fields: Fields) = FormInput(
            name = fields.subject.name,
            creditCode = fields.subject.creditCode.orEmpty(),
            legalRepresentative = fields.subject.legalRepresentative.orEmpty(),
            people = fields.people.map { p ->
                PersonInput(p.id, p.name, p.document.kind, p.document.number, p.document.validUntil, p.phone, p.emergencyPhone.orEmpty(), p.email, p.isLegalRepresentative == true)
            },
            websites = fields.websites.map { w -> WebsiteInput(w.id, w.name, w.domains.joinToString(", ") { it.name }, w.responsiblePerson) },
        )
    }
}
