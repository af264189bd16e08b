import type {
  CirculationSettings,
  JoinLibrary,
  LibraryMembership,
  Patron,
  SelfRegistrationCategory,
  SelfRegistrationMode,
  SelfRegistrationOffer,
} from '@athenaeum/contracts';
import { api } from '../../../lib/api';

export const offerQuery = (libraryId: string) => ({
  queryKey: ['circulation', 'self-registration', libraryId] as const,
  queryFn: () => api<SelfRegistrationOffer>(`/organizations/${libraryId}/self-registration`),
});

export const myCardsQuery = {
  queryKey: ['circulation', 'my-cards'] as const,
  queryFn: async () => (await api<{ items: LibraryMembership[] }>('/me/library-memberships')).items,
};

export const joinLibrary = (body: JoinLibrary) =>
  api<LibraryMembership>('/me/library-memberships', { method: 'POST', body });

export const confirmIdentity = (libraryId: string, patronId: string) =>
  api<Patron>(`/organizations/${libraryId}/patrons/${patronId}/confirmation`, { method: 'POST' });

export const settingsQuery = (libraryId: string) => ({
  queryKey: ['circulation', 'settings', libraryId] as const,
  queryFn: () => api<CirculationSettings>(`/organizations/${libraryId}/circulation-settings`),
});

export const saveSelfRegistration = (
  libraryId: string,
  body: { selfRegistration: SelfRegistrationMode; selfRegistrationCategories: SelfRegistrationCategory[] },
) => api<CirculationSettings>(`/organizations/${libraryId}/circulation-settings`, { method: 'PATCH', body });
