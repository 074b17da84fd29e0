package org.hexin.sample.android

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.hexin.documentName
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

/** One person being entered; `id` is `p1`, `p2`, … in the order they were added. */
class PersonInput(val id: String) {
    var name by mutableStateOf("")
    var document by mutableStateOf(DocumentType.RESIDENT_ID)
    var number by mutableStateOf("")
    var validUntil by mutableStateOf("")
    var phone by mutableStateOf("")
    var email by mutableStateOf("")
    var legalRepresentative by mutableStateOf(false)
}

/** One website being entered; `id` is `w1`, `w2`, …; `domains` comma-separated. */
class WebsiteInput(val id: String, responsiblePerson: String) {
    var name by mutableStateOf("")
    var domains by mutableStateOf("")
    var responsiblePerson by mutableStateOf(responsiblePerson)
}

/**
 * The filing form: the subject, its people and its websites, each field showing the SDK's
 * problems with it (by path, `people[1].phone`) after saving. The first person is the subject's
 * responsible person; each website names its own, any of the people (for an individual, the
 * filer). Ids are `p1`…, `w1`…, as the draft's checklist assumes before the form is saved, so
 * photos taken first stay where they are. Every domain's registrant is declared as the subject.
 */
@Composable
fun FieldsForm(subject: SubjectKind, problems: Map<String, List<String>>, onSave: (Fields) -> Unit) {
    val unit = subject != SubjectKind.INDIVIDUAL
    var name by remember { mutableStateOf("") }
    var creditCode by remember { mutableStateOf("") }
    var legalRepresentative by remember { mutableStateOf("") }
    val people = remember { mutableStateListOf(PersonInput("p1")) }
    val websites = remember { mutableStateListOf(WebsiteInput("w1", "p1")) }

    @Composable
    fun field(label: String, path: String, value: String, onChange: (String) -> Unit) = OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        isError = path in problems,
        supportingText = problems[path]?.let { { Text(it.joinToString("\n")) } },
        modifier = Modifier.fillMaxWidth(),
    )

    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text("主体 · Subject", style = MaterialTheme.typography.titleMedium)
        field(if (unit) "单位名称 Name" else "姓名 Name", "subject.name", name) { name = it }
        if (unit) {
            field("统一社会信用代码 Credit code", "subject.credit_code", creditCode) { creditCode = it }
            field("法定代表人 Legal representative", "subject.legal_representative", legalRepresentative) { legalRepresentative = it }
        }

        people.forEachIndexed { i, p ->
            val at = "people[$i]"
            Text(if (i == 0) "主体负责人 · Subject's responsible person" else "负责人 ${i + 1} · Person ${i + 1}", style = MaterialTheme.typography.titleMedium)
            field("姓名 Name", "$at.name", p.name) { p.name = it }
            Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                for (d in DocumentType.entries) {
                    FilterChip(selected = p.document == d, onClick = { p.document = d }, label = { Text(documentName(d).zh) })
                }
            }
            field("证件号码 Document number", "$at.document.number", p.number) { p.number = it }
            field("有效期至 Valid until (YYYYMMDD / 长期)", "$at.document.valid_until", p.validUntil) { p.validUntil = it }
            field("手机 Mobile", "$at.phone", p.phone) { p.phone = it }
            field("邮箱 Email", "$at.email", p.email) { p.email = it }
            if (unit) Row {
                Checkbox(checked = p.legalRepresentative, onCheckedChange = { p.legalRepresentative = it })
                Text("法定代表人 · Legal representative")
            }
        }
        if (unit) OutlinedButton(onClick = { people.add(PersonInput("p${people.size + 1}")) }) { Text("添加负责人 · Add a person") }

        websites.forEachIndexed { j, w ->
            val at = "websites[$j]"
            Text("网站 ${j + 1} · Website ${j + 1}", style = MaterialTheme.typography.titleMedium)
            field("网站名称 Website name", "$at.name", w.name) { w.name = it }
            val domainProblems = problems.filterKeys { it.startsWith("$at.domains") }.values.flatten()
            OutlinedTextField(
                value = w.domains,
                onValueChange = { w.domains = it },
                label = { Text("域名 Domains (a, b)") },
                isError = domainProblems.isNotEmpty(),
                supportingText = domainProblems.takeIf { it.isNotEmpty() }?.let { { Text(it.joinToString("\n")) } },
                modifier = Modifier.fillMaxWidth(),
            )
            if (unit) Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                Text("网站负责人 · Run by")
                people.forEachIndexed { i, p ->
                    FilterChip(selected = w.responsiblePerson == p.id, onClick = { w.responsiblePerson = p.id }, label = { Text(p.name.ifBlank { "${i + 1}" }) })
                }
            }
        }
        OutlinedButton(onClick = { websites.add(WebsiteInput("w${websites.size + 1}", "p1")) }) { Text("添加网站 · Add a website") }

        Button(onClick = {
            onSave(
                Fields(
                    Filing(FilingType.NEW, null),
                    SubjectFields(name, creditCode.takeIf { unit }, legalRepresentative.takeIf { unit }, "p1"),
                    people.map { p ->
                        Person(p.id, p.name, IdDocument(p.document, p.number, p.validUntil), p.phone, null, p.email, p.legalRepresentative.takeIf { unit })
                    },
                    websites.map { w ->
                        val domains = w.domains.split(',', '，').map { it.trim() }.filter { it.isNotEmpty() }
                        Website(w.id, w.name, domains.map { Domain(it, name) }, if (unit) w.responsiblePerson else "p1", null)
                    },
                ),
            )
        }) { Text("保存 · Save") }
    }
}
